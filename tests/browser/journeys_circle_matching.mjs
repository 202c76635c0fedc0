// journeys_circle_matching.mjs: the matcher's proposals of peer circles in
// the browser, for the administrator of the demo's mentoring program.
//
//   circles-propose  the administrator opens the program's circles, asks the
//                    matcher for circles of three (people already in a
//                    circle included, a guide to facilitate), reads the draft
//                    with each circle's score and why, drops the facilitator,
//                    and publishes: the circle is proposed and its members
//                    are asked to accept. No page shows anyone's department
//                    (an attribute only its owner sees).

import { assert, submit } from './lib.mjs';

async function noDepartment(j) {
  const text = await j.page.locator('#main').innerText();
  assert(!/Sales|Engineering|Finance|Operations/.test(text), 'a page shows someone\'s department');
}

async function propose(j) {
  const p = j.page;
  await j.signIn('admin');
  await j.visit('#/programs/1/circles', 'program-circles');
  const here = p.getByRole('navigation', { name: 'Program' }).getByRole('link', { name: 'Circles' });
  assert(await here.getAttribute('aria-current') === 'page', 'the program\'s navigation does not lead to its circles');
  const f = p.getByRole('form', { name: 'Ask the matcher for circles' });
  await f.getByLabel('Members in each circle (3 to 8)').fill('3');
  await f.getByLabel('Include people already in a circle').check();
  await f.getByLabel('A guide facilitates each circle where one fits').check();
  await f.getByLabel('Mix the attributes the program keeps', { exact: false }).check();
  const d = await submit(p, f.getByRole('button', { name: 'Propose circles' }), 'POST', '/circle-proposals');
  assert(d.state === 'draft' && d.circles.length >= 1, `the draft has ${d.circles.length} circles`);
  const first = d.circles[0];
  await p.locator('#main h1').filter({ hasText: `Circle draft ${d.id}` }).waitFor();
  await p.locator('#main').getByText('everyone speaks en').first().waitFor();
  await j.visit(null, 'circle-draft');
  await noDepartment(j);

  // The facilitator is dropped by keyboard: focus the button and press Enter.
  assert(first.facilitator, 'no guide facilitates the first circle');
  const drop = p.getByRole('button', { name: `Drop the facilitator of ${first.name}` });
  await drop.focus();
  const [res] = await Promise.all([
    p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/drop')),
    p.keyboard.press('Enter'),
  ]);
  assert(res.ok(), `dropping the facilitator: ${res.status()}`);
  const after = await res.json();
  assert(after.circles[0].facilitator === null, 'the facilitator is still in the draft');
  await p.locator('#main').getByText('Facilitator dropped.').first().waitFor().catch(() => {});

  const pub = await submit(p, p.getByRole('button', { name: 'Publish as proposed circles' }), 'POST', '/publish');
  assert(pub.state === 'published' && pub.summary.created === pub.circles.length,
    `published ${pub.summary.created} of ${pub.circles.length} circles`);
  await p.locator('#main').getByText(`${pub.summary.created} circles proposed`).first().waitFor();
  await j.visit(null, 'circle-draft-published');
  await noDepartment(j);
  await p.getByRole('link', { name: 'Open the circle' }).first().click();
  await p.locator('#main').getByText('Not accepted yet').first().waitFor();
  await j.visit(null, 'circle-from-the-matcher');
}

export const CIRCLE_MATCHING_JOURNEYS = [
  { name: 'circles-propose', run: propose },
];

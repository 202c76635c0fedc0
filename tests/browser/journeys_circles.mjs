// journeys_circles.mjs: peer circles in the browser, for a facilitator and a
// member of the demo's "New Managers" circle (circle 2: Sofia Rossi
// facilitates, Tariq Hussain has stopped coming), and an administrator who
// opens the circle and must see none of its text.
//
// The facilitator runs first: the drift warning is then shown to her only
// as "A member may need a check-in."; she records a check-in and adds a
// member from the circle's page, by keyboard. The member reads the warning
// about himself, with its practice and questions, and shares it.

import { api, assert, PEOPLE, sees, submit } from './lib.mjs';

const CIRCLE = 2;
const stamp = Date.now().toString(36);
const TEXTS = {
  note: `QC-NOTE-${stamp}: I have been swamped since the restructure and could not come.`,
  reply: `QC-REPLY-${stamp}: I block the first hour of Monday for my team's questions.`,
};

PEOPLE.facilitator = 'sofia.rossi@rapport.demo';
PEOPLE.member = 'tariq.hussain@rapport.demo';

const circle = (tab = '') => `#/circles/${CIRCLE}${tab ? '/' + tab : ''}`;

async function facilitator(j) {
  const p = j.page;
  await j.signIn('facilitator');
  await j.visit('#/circles', 'circles');
  await p.locator(`#main a[href="${circle()}"]`).click();
  await j.visit(null, 'circle');
  await sees(j, 'Facilitator');

  // The drift warning names nobody.
  await j.visit(circle('warnings'), 'circle-warnings-facilitator');
  await sees(j, 'A member may need a check-in.');
  const main = await p.locator('#main').innerText();
  assert(!main.includes('Tariq'), 'the facilitator sees the drifting member named');

  // A check-in with attendance: everyone present but Tariq, absent with notice.
  await j.visit(circle('checkins'), 'circle-checkins');
  const cf = p.getByRole('form', { name: 'Record a check-in' });
  await cf.getByLabel('Tariq Hussain').selectOption('absent_with_notice');
  await cf.getByLabel('Arjun Mehta').selectOption('late');
  const ck = await submit(p, cf.getByRole('button', { name: 'Record' }), 'POST', '/checkins');
  assert(ck.attendance.length === 5, `${ck.attendance.length} members' attendance, not 5`);
  await sees(j, 'Tariq Hussain: Absent with notice');
  await j.visit(null, 'circle-checkin-recorded');

  await j.visit(circle('agreement'), 'circle-agreement');
  await sees(j, 'In force');
  await j.visit(circle('requests'), 'circle-requests');
  await j.visit(circle('feedback'), 'circle-feedback');

  // The circle is active: she adds a member of the program, by keyboard,
  // from the people who were never in it.
  await j.visit(circle(), 'circle-add-member');
  const af = p.getByRole('form', { name: 'Add a member' });
  const who = af.getByLabel('Person to add');
  await who.focus();
  await who.press('ArrowDown');
  const picked = await who.evaluate((s) => s.options[s.selectedIndex].text);
  assert(picked !== 'Choose a person', 'no person could be chosen by keyboard');
  const [res] = await Promise.all([
    p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith(`/circles/${CIRCLE}/members`)),
    af.getByRole('button', { name: 'Add to the circle' }).press('Enter'),
  ]);
  const added = await res.json();
  assert(res.ok(), `adding a member: ${res.status()} ${JSON.stringify(added)}`);
  const name = picked.replace(/ \((guide|learner)\)$/, '');
  assert(added.members.some((m) => m.name === name && m.role === 'member' && !m.left_at),
    `${name} is not a member of the circle`);
  await sees(j, `${name} joined the circle`);
  await j.visit(null, 'circle-member-added');
}

async function member(j) {
  const p = j.page;
  await j.signIn('member');
  await j.visit('#/circles', 'circles-member');
  await p.locator(`#main a[href="${circle()}"]`).click();
  await j.visit(null, 'circle-member');

  // The warning about him, first to him, with what helps.
  await j.visit(circle('warnings'), 'circle-warnings-member');
  await sees(j, 'Your attendance at the circle');
  await sees(j, 'Questions to reflect on');
  const [share] = await Promise.all([
    p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/warnings/share')),
    p.getByRole('button', { name: /^Tell the facilitator it is me: Your attendance/ }).click(),
  ]);
  assert(share.status() === 204, `sharing the warning: ${share.status()}`);
  await j.settle();
  const shared = await api(j.server.base, PEOPLE.facilitator, 'GET', `/circles/${CIRCLE}/warnings`);
  assert(shared.items.some((w) => w.code === 'MEMBER_DRIFTING' && w.member_id && !w.anonymous),
    'the facilitator does not see the shared warning by name');

  // A shared note and a reply to someone's request.
  await j.visit(circle('notes'), 'circle-notes');
  const nf = p.getByRole('form', { name: 'Add a note' });
  await nf.getByLabel('Note', { exact: true }).fill(TEXTS.note);
  await submit(p, nf.getByRole('button', { name: 'Save' }), 'POST', '/notes');
  await sees(j, TEXTS.note.slice(0, 20));
  await j.visit(null, 'circle-note-written');
  await j.visit(circle('requests'), 'circle-requests-member');
  const rf = p.getByRole('form', { name: 'Reply' }).first();
  await rf.getByLabel('Your reply').fill(TEXTS.reply);
  await submit(p, rf.getByRole('button', { name: 'Reply' }), 'POST', '/reply');
  await sees(j, TEXTS.reply.slice(0, 20));

  // The pulse about the circle: every item 4.
  await j.visit(circle('pulse'), 'circle-pulse');
  const pf = p.getByRole('form', { name: 'Pulse about the circle' });
  const often = await pf.getByLabel('4 Often').all();
  assert(often.length === 7, `the circle pulse has ${often.length} items, not 7`);
  for (const r of often) await r.check();
  const pulse = await submit(p, pf.getByRole('button', { name: 'Send my answers' }), 'POST', '/pulse');
  assert(pulse.mine.REL1 === 4 && pulse.raters >= 3, 'the pulse was not counted');
  await j.visit(null, 'circle-pulse-answered');
  await j.visit(circle('trust'), 'circle-trust');
  await sees(j, "The circle's trust in you");
  await sees(j, 'Your trust in the circle');

  const { stored, urls } = await j.traces();
  for (const t of Object.values(TEXTS)) {
    const w = t.slice(0, 12);
    for (const u of urls) assert(!decodeURIComponent(u).includes(w), `circle text in a URL: ${u}`);
    assert(!stored.includes(w), `circle text in storage or history: ${w}`);
  }
}

async function adminSeesNoCircleText(j) {
  const p = j.page;
  const seen = [];
  p.on('response', async (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) seen.push(await r.text().catch(() => ''));
  });
  await j.signIn('admin');
  await j.visit(circle(), 'circle-admin');
  await sees(j, 'New Managers');
  for (const tab of ['agreement', 'notes', 'requests', 'warnings']) {
    await j.visit(circle(tab), `circle-admin-${tab}`);
  }
  // Forming a circle: three learners of the mentoring program, no facilitator.
  await j.visit('#/circles/new?program=1', 'circle-form');
  const ff = p.getByRole('form', { name: 'Form a circle' });
  await ff.getByLabel('Name of the circle').fill('Career changers');
  for (const who of ['Ravi Patel', 'Chloe Dubois', 'Ethan Brooks']) await ff.getByLabel(`Member: ${who} (learner)`).check();
  const formed = await submit(p, ff.getByRole('button', { name: 'Form the circle' }), 'POST', '/circles');
  assert(formed.state === 'proposed' && formed.members.length === 3, 'the circle was not formed as asked');
  await sees(j, 'Not accepted yet');
  await j.visit(null, 'circle-formed');
  const dom = await p.locator('body').innerText();
  for (const t of [...Object.values(TEXTS), 'QC-', 'What is said in the circle']) {
    const w = t.slice(0, 12);
    assert(!dom.includes(w), `the administrator sees circle text: ${w}`);
    assert(!seen.some((s) => s.includes(w)), `an API answer to the administrator carries circle text: ${w}`);
  }
}

export const CIRCLE_JOURNEYS = [
  { name: 'circle-facilitator', run: facilitator },
  { name: 'circle-member', run: member },
  { name: 'admin-sees-no-circle-text', run: adminSeesNoCircleText },
];

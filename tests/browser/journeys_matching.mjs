// journeys_matching.mjs: the three ways to match, in the browser.
//
// Data: `rapport demo` gives the mentoring program (1) five topics, a
// department attribute, profiles for its five guides and for four learners
// without a guide (Mateo Silva, Aisha Bello, Noah Fischer, Lina Haddad);
// Omar Farouk's relationship there is completed.
//
//   matching-self    Mateo sees his five suggestions, each with why, and asks
//                    the first.
//   matching-guide   the guide asked accepts on their matching page, and the
//                    relationship starts.
//   matching-admin   the administrator saves the fairness mode, runs the
//                    matcher, reads the draft with its explanations and the
//                    unmatched learners' reasons, locks a pair, re-runs, and
//                    publishes the draft as proposed relationships.
//   matching-rematch Omar answers the private exit question (topics,
//                    chemistry), fills in his profile, and gets suggestions
//                    that say what did not fit counts double.
// Nobody's page shows another person's attribute value or wish: the guides'
// departments are checked absent from every page the learners and the
// administrator open.

import { PEOPLE, api, assert } from './lib.mjs';

PEOPLE.mateo = 'mateo.silva@rapport.demo';
PEOPLE.omar = 'omar.farouk@rapport.demo';

const emailOf = (name) => `${name.toLowerCase().replace(/ /g, '.').replace(/[^a-z.]/g, 'a')}@rapport.demo`;

async function mainText(j) {
  return j.page.locator('#main').innerText();
}

async function selfMatch(j, ctx) {
  const p = j.page;
  await j.signIn('mateo');
  await j.visit('#/matching', 'matching-list');
  await p.locator('#main a[href="#/matching/1"]').click();
  await j.visit(null, 'matching-member');
  const cards = p.locator('#main ol li');
  await cards.first().waitFor();
  const n = await cards.count();
  assert(n >= 1 && n <= 5, `${n} suggestions, not 1 to 5`);
  const first = await cards.first().innerText();
  assert(/Score \d+ of 100/.test(first) && /topics? (is|are)/.test(first) && /a week overlap/.test(first),
    `a suggestion without its explanation: ${first}`);
  const guideName = (await cards.first().locator('h3').innerText()).trim();
  await p.getByRole('button', { name: `Ask ${guideName}` }).click();
  await p.locator('#main li').filter({ hasText: `You asked ${guideName}` }).filter({ hasText: 'pending' }).first().waitFor();
  await j.visit(null, 'matching-asked');
  ctx.askedGuide = guideName;
}

/* The guide Mateo asked answers on their matching page. */
async function guideAnswers(j, ctx) {
  const p = j.page;
  assert(ctx.askedGuide, 'matching-self asked nobody');
  PEOPLE.asked = emailOf(ctx.askedGuide);
  await j.signIn('asked');
  await j.visit('#/matching/1', 'matching-guide');
  await p.getByRole('button', { name: 'Accept Mateo Silva' }).click();
  await p.locator('#main li').filter({ hasText: 'Mateo Silva asked you' }).filter({ hasText: 'accepted' }).first().waitFor();
  await p.locator('#main a', { hasText: 'Open the relationship' }).first().waitFor();
  await j.visit(null, 'matching-accepted');
  const text = await mainText(j);
  assert(!/Operations|different from mine/.test(text.replace(/Your department[\s\S]*$/, '')),
    'the guide sees something of the learner\'s attributes');
}

async function adminRun(j) {
  const p = j.page;
  await j.signIn('admin');
  await j.visit('#/programs/1/matching', 'matching-settings');
  const sf = p.getByRole('form', { name: 'Matching settings' });
  await sf.getByLabel('What the optimiser favours').selectOption('fairness');
  await sf.getByRole('button', { name: 'Save the settings' }).click();
  await j.settle();
  await p.getByRole('button', { name: 'Run the matcher' }).click();
  await p.waitForFunction(() => /#\/matching-runs\/\d+/.test(location.hash));
  await p.locator('#main h2', { hasText: 'The draft' }).waitFor();
  await j.visit(null, 'matching-run');
  let text = await mainText(j);
  assert(/fairness/.test(text), 'the run is not in fairness mode');
  assert(/A first-come pass would total/.test(text), 'no greedy total beside the optimum');
  assert(/Unmatched learners and why/.test(text), 'no unmatched section');
  assert(!/Sales|Engineering|Finance/.test(text), 'the draft shows someone\'s department');
  const lock = p.getByRole('button', { name: /^Lock / }).first();
  if (await lock.count()) {
    await lock.click();
    await p.locator('#main .badge', { hasText: 'locked' }).first().waitFor();
  }
  await p.getByRole('button', { name: 'Re-run, keeping locked pairs' }).click();
  await j.settle();
  await p.getByRole('button', { name: 'Publish as proposed relationships' }).click();
  await p.locator('#main .badge', { hasText: 'published' }).first().waitFor();
  await j.visit(null, 'matching-published');
  text = await mainText(j);
  assert(!/Re-run/.test(text), 'a published run still offers to re-run');
}

async function rematch(j) {
  const p = j.page;
  await j.signIn('omar');
  await j.visit('#/matching/1', 'matching-rematch');
  const ef = p.getByRole('form', { name: /^What did not fit in relationship/ }).first();
  await ef.getByLabel('The topics').check();
  await ef.getByLabel('The chemistry').check();
  await ef.getByRole('button', { name: 'Save my answer' }).click();
  await j.settle();
  const pf = p.getByRole('form', { name: 'My matching profile' });
  await pf.getByLabel('Languages you can work in').fill('en');
  await pf.getByLabel('When you are free each week (UTC)').fill('Mon 09:00-12:00\nWed 09:00-12:00');
  await pf.getByLabel('What you want to grow in: choice 1').selectOption({ label: 'Leadership' });
  await pf.getByRole('button', { name: 'Save my profile' }).click();
  await p.locator('#main ol li').first().waitFor();
  await j.visit(null, 'matching-rematch-suggestions');
  const first = await p.locator('#main ol li').first().innerText();
  assert(/counts double/.test(first), `the suggestion does not say the exit answer counted: ${first}`);
  // The answer stays private: the administrator's program pages never show it.
  const me = await api(j.server.base, PEOPLE.admin, 'GET', '/programs/1/matching-runs');
  assert(!JSON.stringify(me).includes('chemistry'), 'an exit answer reached the administrator');
}

export const MATCHING_JOURNEYS = [
  { name: 'matching-self', run: selfMatch },
  { name: 'matching-guide', run: guideAnswers },
  { name: 'matching-admin', run: adminRun },
  { name: 'matching-rematch', run: rematch },
];

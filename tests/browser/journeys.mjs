// journeys.mjs: what people do in the browser, each journey a test
// (run.mjs runs them in this order, each in a new browser context).
//
// Data: `rapport demo` (README.md): relationship 1 is Amara Okafor (guide)
// with Leo Martin (learner) in program 1, whose administrator is
// admin@rapport.demo. Texts written here carry markers (QX-…) so that the
// confidentiality checks can look for them anywhere.
//
// Every `visit` runs axe-core at desktop and phone width and saves the two
// screenshots; the confidentiality checks run at the end of each journey.

import { api, assert, localInput, noTraces, sees, submit } from './lib.mjs';
import { ORG_JOURNEYS } from './journeys_org.mjs';
import { MATCHING_JOURNEYS } from './journeys_matching.mjs';
import { MAIL_JOURNEYS } from './journeys_mail.mjs';
import { JOURNEYS as SETTINGS_JOURNEYS } from './journeys_settings.mjs';
import { JOURNEYS_FEEDBACK360 } from './journeys_feedback360.mjs';
import { JOURNEYS_ALUMNI } from './journeys_alumni.mjs';
import { CIRCLE_JOURNEYS } from './journeys_circles.mjs';
import { CIRCLE_MATCHING_JOURNEYS } from './journeys_circle_matching.mjs';
import { NGINX_JOURNEYS } from './journeys_nginx.mjs';

const REL = 1;
const stamp = Date.now().toString(36);
export const TEXTS = {
  privateNote: `QX-PRIVATE-${stamp}: I am nervous about the reorganisation and have not told my manager.`,
  sharedNote: `QX-SHARED-${stamp}: Notes for our next check-in: the promotion conversation.`,
  feedback: `QX-FEEDBACK-${stamp}: Your question about what I would do with more time really helped.`,
  incident: `QX-INCIDENT-${stamp}: a remark about my background in the group session felt unfair.`,
  commitment: `QX-COMMIT-${stamp}: Send Leo two examples of delegation plans`,
  goal: `QX-GOAL-${stamp}: Run the weekly team meeting without notes`,
};
/* Texts no program administrator may ever see. */
const CONFIDENTIAL = Object.values(TEXTS);

const rel = (tab = '') => `#/relationships/${REL}${tab ? '/' + tab : ''}`;

/* The form (a <form>) that has a control labelled `label`. */
function formWith(page, label) {
  return page.locator('form').filter({ has: page.getByLabel(label) }).first();
}


async function learner(j, ctx) {
  const { page: p, server } = j;
  // The guide proposes a new agreement version, for the learner to acknowledge.
  const cur = await api(server.base, 'amara.okafor@rapport.demo', 'GET', `/relationships/${REL}/agreement`);
  const { version, ...body } = pickAgreement(cur);
  const put = await api(server.base, 'amara.okafor@rapport.demo', 'PUT', `/relationships/${REL}/agreement`,
    { ...body, cadence_days: 10 });
  ctx.agreementVersion = put.version;

  await j.visit('#/signin', 'signin');
  await j.signIn('learner');
  await j.visit(null, 'home');
  await p.locator(`#main a[href="${rel()}"]`).first().click();
  await j.visit(null, 'relationship');

  // Acknowledge the agreement.
  await j.visit(rel('agreement'), 'agreement');
  await p.getByRole('button', { name: `Acknowledge version ${ctx.agreementVersion}` }).click();
  await sees(j, `In force: version ${ctx.agreementVersion}`);
  await j.visit(null, 'agreement-acknowledged');

  // A private note: plainly "Only you".
  await j.visit(rel('notes'), 'notes');
  const nf = p.getByRole('form', { name: 'Write a note' });
  await nf.getByLabel('Note', { exact: true }).fill(TEXTS.privateNote);
  await nf.getByLabel('Only me').check();
  await submit(p, nf.getByRole('button', { name: 'Save note' }), 'POST', '/notes');
  const note = p.locator('#main li, #main article').filter({ hasText: TEXTS.privateNote.slice(0, 20) }).first();
  await note.waitFor();
  assert(/only you/i.test(await note.innerText()), 'the private note does not say "Only you"');
  await j.visit(null, 'notes-written');

  // Feedback.
  await j.visit(rel('feedback'), 'feedback');
  const ff = formWith(p, 'Your feedback');
  await ff.getByLabel(/^Recognition/).check();
  await ff.getByLabel(/^The work/).check();
  await ff.getByLabel('Your feedback').fill(TEXTS.feedback);
  await submit(p, ff.getByRole('button', { name: 'Give feedback' }), 'POST', '/feedback');
  await sees(j, TEXTS.feedback.slice(0, 20));
  await j.visit(null, 'feedback-given');

  // The pulse: every item answered 4, overall 8.
  await j.visit(rel('pulse'), 'pulse');
  const pf = p.getByRole('form', { name: /^Pulse about/ });
  const often = await pf.getByLabel('4 Often').all();
  assert(often.length === 7, `the pulse has ${often.length} items, not 7`);
  for (const r of often) await r.check();
  await pf.getByLabel(/^Overall/).selectOption('8');
  const pulse = await submit(p, pf.getByRole('button', { name: 'Send my pulse' }), 'POST', '/pulses');
  assert(pulse.overall === 8 && pulse.answers.REL1 === 4, 'the pulse was not sent as answered');
  await j.visit(null, 'pulse-answered');

  // Trust, incidents (a report), my data, practices.
  await j.visit(rel('trust'), 'trust');
  assert(await p.locator('#main svg.chart path.line').count() === 2, 'the trust chart has not two lines');
  await j.visit(rel('incidents'), 'incidents');
  const inf = formWith(p, /what happened/i);
  await inf.getByLabel(/what kind/i).selectOption('bias');
  await inf.getByLabel(/what happened/i).fill(TEXTS.incident);
  await submit(p, inf.getByRole('button', { name: 'Report' }), 'POST', '/incidents');
  await sees(j, TEXTS.incident.slice(0, 20));
  await j.visit(null, 'incident-reported');
  await j.visit('#/me/access', 'access-log');
  await j.visit('#/me/sessions', 'sessions');
  await j.visit('#/me/export', 'export');
  await p.getByLabel('Your password', { exact: true }).fill('rapport-demo');
  const [dl] = await Promise.all([
    p.waitForEvent('download', { timeout: 15000 }),
    p.getByRole('button', { name: /export/i }).click(),
  ]);
  const path = await dl.path();
  const { readFile } = await import('node:fs/promises');
  const exported = await readFile(path, 'utf8');
  assert(exported.includes(TEXTS.privateNote.slice(0, 20)), 'the export lacks my private note');
  await j.visit(null, 'export-ready');
  await j.visit('#/practices', 'practices');
  await j.visit('#/practices/1', 'practice');
  await noTraces(j, CONFIDENTIAL);
}

/* The agreement body for PUT from a GET answer (its fields as PUT takes them). */
function pickAgreement(a) {
  const v = a.version !== undefined ? a : (a.latest || a.in_force || a);
  const keys = ['purpose', 'cadence_days', 'channels', 'reply_window_hours', 'confidentiality',
    'boundaries', 'feedback_preferences', 'ends_on'];
  const out = { version: v.version };
  for (const k of keys) if (v[k] !== undefined && v[k] !== null) out[k] = v[k];
  return out;
}

async function guide(j, ctx) {
  const p = j.page;
  await j.signIn('guide');
  await j.visit(null, 'home');
  await j.visit(rel(), 'relationship');

  // Schedule a check-in (in two days), then record the outcome of the one
  // scheduled in the demo's past.
  await j.visit(rel('checkins'), 'checkins');
  // One for the day after tomorrow, and one that happened three hours ago,
  // whose outcome is then recorded.
  const cf = p.getByRole('form', { name: 'Schedule a check-in' });
  await cf.locator('input[type=datetime-local]').fill(localInput(new Date(Date.now() + 2 * 86400000)));
  await submit(p, cf.getByRole('button', { name: 'Schedule' }), 'POST', '/checkins');
  await j.settle();
  const past = new Date(Date.now() - 3 * 3600000);
  past.setSeconds(0, 0);
  await cf.locator('input[type=datetime-local]').fill(localInput(past));
  const ck = await submit(p, cf.getByRole('button', { name: 'Schedule' }), 'POST', '/checkins');
  await j.settle();
  // The check-in just scheduled is the one whose time is that of ck.
  const item = p.locator('#main li').filter({ has: p.locator(`.item-head time[datetime="${ck.scheduled_at}"]`) })
    .filter({ has: p.locator('summary', { hasText: 'Record the outcome' }) }).first();
  const more = p.locator('#main button.more', { hasText: 'Load more' });
  while (!(await item.count()) && await more.isVisible()) {
    await more.click();
    await j.settle();
  }
  await item.locator('summary', { hasText: 'Record the outcome' }).click();
  await item.getByLabel('We met').check();
  await submit(p, item.getByRole('button', { name: 'Record outcome' }), 'POST', `/checkins/${ck.id}/outcome`);
  await p.locator('#main li').filter({ has: p.locator(`.item-head time[datetime="${ck.scheduled_at}"]`) })
    .locator('.item-meta', { hasText: 'Recorded' }).first().waitFor();
  await j.visit(null, 'checkin-recorded');

  // A commitment.
  await j.visit(rel('commitments'), 'commitments');
  const mf = p.getByRole('form', { name: 'Make a commitment' });
  await mf.getByLabel('I do').check();
  await mf.getByLabel('What exactly?').fill(TEXTS.commitment);
  await mf.getByLabel('By when?').fill(localInput(new Date(Date.now() + 7 * 86400000)));
  await submit(p, mf.getByRole('button', { name: 'Add commitment' }), 'POST', '/commitments');
  await sees(j, TEXTS.commitment.slice(0, 20));
  await j.visit(null, 'commitment-added');

  // A SMART goal with its GAS levels.
  await j.visit(rel('goals'), 'goals');
  const opener = p.locator('#main summary', { hasText: 'Set a new goal' });
  if (await opener.count()) await opener.click();
  const gf = p.getByRole('form', { name: 'Set a goal' });
  await gf.getByLabel('Goal', { exact: true }).fill(TEXTS.goal);
  await gf.getByLabel(/^Specific/).fill('Chair the Monday meeting from an agenda only.');
  await gf.getByLabel(/^Measurable/).fill('Four meetings in a row without reading from notes.');
  await gf.getByLabel(/^Achievable/).fill('Short meetings, a practised opening.');
  await gf.getByLabel(/^Relevant/).fill('Leading the team is the next step in my role.');
  await gf.getByLabel(/^Time-bound/).fill(new Date(Date.now() + 60 * 86400000).toISOString().slice(0, 10));
  await gf.getByLabel('Importance weight').fill('2');
  const levels = { 'Much less than expected': 'Still reads every item',
    'Less than expected': 'Reads most items', 'The expected outcome': 'Four meetings without notes',
    'More than expected': 'Also handles questions freely', 'Much more than expected': 'Coaches a colleague to do the same' };
  for (const [label, words] of Object.entries(levels)) await gf.getByLabel(new RegExp(`: ${label}`)).fill(words);
  const goal = await submit(p, gf.getByRole('button', { name: 'Add goal' }), 'POST', '/goals');
  assert(goal.levels && Object.keys(goal.levels).length === 5, 'the goal was saved without its five levels');
  await sees(j, TEXTS.goal.slice(0, 20));
  await j.visit(null, 'goal-set');

  // The trust profile: figures in words, four components each way, the chart, warnings.
  await j.visit(rel('trust'), 'trust');
  const text = await p.locator('#main').innerText();
  for (const c of ['Reliability', 'Integrity', 'Competence', 'Empathy'])
    assert((text.match(new RegExp(c, 'g')) || []).length >= 2, `the trust profile lacks ${c} for both directions`);
  assert(/out of 100|not enough evidence/i.test(text), 'no index in words');
  assert(/certain/i.test(text), 'no uncertainty in words');
  assert(await p.locator('#main svg.interval').count() >= 8, 'fewer than eight interval bars');
  assert(await p.locator('#main svg.chart').count() === 1, 'no chart of the index over time');
  assert(await p.locator('#main .evidence li').count() >= 4, 'no evidence sentences');
  if (ctx.learnerDone) {
    // The learner's report raised an INCIDENT warning: shown with its practice and questions.
    const w = p.locator('#main .warning').filter({ hasText: 'An incident has been reported' });
    await w.first().waitFor();
    assert(await w.first().locator('.practice h4 a').count() === 1, 'the warning has no practice');
    assert(await w.first().locator('.questions li').count() >= 2, 'the warning has no reflection questions');
  }

  // The incident the learner reported about the guide: acknowledge, then the repair plan.
  await j.visit(rel('incidents'), 'incidents');
  if (ctx.learnerDone) {
    await p.getByRole('button', { name: /acknowledge: this is mine/i }).first().click();
    await sees(j, /repair plan/i);
    const af = formWith(p, /what happened, in your words/i);
    await af.getByLabel(/what happened, in your words/i).fill('I made a remark about your background that was unfair.');
    await af.getByLabel(/responsibility/i).fill('It was my remark and my mistake.');
    await af.getByRole('button', { name: /acknowledge/i }).click();
    await sees(j, /It was my remark/);
    // The amends: the commitment made above.
    const mf2 = p.getByRole('form', { name: 'Agree the amends' });
    await mf2.getByLabel(TEXTS.commitment.slice(0, 20)).check();
    const plan = await submit(p, mf2.getByRole('button', { name: 'Agree these amends' }), 'POST', '/amends');
    assert(plan.amends_agreed_at && plan.commitments.length === 1, 'the amends were not agreed');
    await j.visit(null, 'repair-plan');
    const inc = await submit(p, p.getByRole('button', { name: 'Mark resolved' }).first(), 'POST', '/resolve');
    assert(inc.state === 'resolved', 'the incident is not resolved');
    await p.locator('#main .badge', { hasText: 'Resolved' }).first().waitFor();
    await j.visit(null, 'incident-resolved');
  }
  await noTraces(j, CONFIDENTIAL);
}

async function admin(j, ctx) {
  const p = j.page;
  await j.signIn('admin');
  await j.visit('#/programs', 'programs');
  await p.locator('#main a[href="#/programs/1"]').first().click();
  await j.visit(null, 'members');

  // Enrol a new learner.
  const email = `noor.${stamp}@example.org`;
  const ef = formWith(p, /^email/i);
  await ef.getByLabel(/^name/i).fill('Noor Haddad');
  await ef.getByLabel(/^email/i).fill(email);
  await ef.getByLabel(/^role/i).selectOption('learner');
  await ef.getByRole('button', { name: /enrol/i }).click();
  await j.settle();
  await sees(j, email);
  await j.visit(null, 'member-enrolled');

  // Propose a match: Amara Okafor with the new learner.
  await j.visit('#/programs/1/matches', 'matches');
  const mf = formWith(p, /^guide/i);
  await mf.getByLabel(/^guide/i).selectOption({ label: 'Amara Okafor (amara.okafor@rapport.demo)' });
  await mf.getByLabel(/^learner/i).selectOption({ label: `Noor Haddad (${email})` });
  await mf.getByRole('button', { name: /propose/i }).click();
  await j.settle();
  const row = p.locator('#main li').filter({ hasText: 'Noor Haddad' }).first();
  await row.waitFor();
  assert(/proposed/i.test(await row.innerText()), 'the new match is not shown as proposed');
  const states = await p.locator('#main .badge').allInnerTexts();
  for (const s of ['Active', 'Paused', 'Ended'])
    assert(states.some((x) => x.startsWith(s)), `no relationship shown as ${s}`);
  await j.visit(null, 'match-proposed');

  // Health: the program's figures, and the guides' cells suppressed with the reason.
  await j.visit('#/programs/1/health', 'health');
  const text = await p.locator('#main').innerText();
  assert(/trust index/i.test(text) && /mean \d/.test(text), 'no program trust index');
  assert(/suppressed/i.test(text) && /fewer than 5 relationships/.test(text), 'suppressed cells without their reason');
  await noTraces(j, CONFIDENTIAL);
}

/* An administrator never sees what the parties write: notes (shared and
 * private), feedback, incidents, commitments and goals written in the
 * journeys above and now, on any page an administrator can reach, in the
 * DOM or in any API response. */
async function adminSeesNoText(j, ctx) {
  const p = j.page;
  const marker = `QX-ADMIN-PROBE-${stamp}: shared note the admin must never read`;
  await api(j.server.base, 'leo.martin@rapport.demo', 'POST', `/relationships/${REL}/notes`, { visibility: 'shared', text: marker });
  const texts = [...CONFIDENTIAL, marker];
  await j.signIn('admin');
  const pages = ['#/', '#/programs', '#/programs/1', '#/programs/1/matches', '#/programs/1/health',
    '#/programs/2', '#/programs/2/health', '#/practices', '#/me/access', '#/me/sessions',
    rel(), rel('notes'), rel('feedback'), rel('incidents'), rel('trust'), rel('commitments'), rel('goals')];
  const doms = [];
  for (const hash of pages) {
    await j.visit(hash, 'admin-' + (hash.replace(/^#\//, '').replace(/[^a-z0-9]+/gi, '-') || 'home'));
    doms.push([hash, await j.dom()]);
  }
  // The relationship's content pages are refused (404 words), never shown.
  await p.evaluate((h) => { location.hash = h; }, rel('notes'));
  await j.settle();
  const refused = await p.waitForFunction(() => {
    const main = document.getElementById('main');
    return !!main.querySelector('[role=alert]') || /no such|not yours|nothing here|not found|only the (guide|two)/i.test(main.innerText);
  }, null, { timeout: 10000 }).then(() => true, () => false);
  assert(refused, `the notes tab did not refuse the administrator: ${(await p.locator('#main').innerText()).slice(-300)}`);
  for (const t of texts) {
    const w = t.slice(0, 16);
    for (const [hash, dom] of doms) assert(!dom.includes(w), `an administrator saw "${w}" on ${hash}`);
    for (const r of j.responses) assert(!r.body.includes(w), `an administrator's response held "${w}": ${r.url}`);
  }
  assert(j.responses.length > 10, `only ${j.responses.length} API responses were checked`);
  await noTraces(j, texts);
}

/* The API's validation errors appear beside the field they point at. */
async function validation(j) {
  const p = j.page;
  await j.signIn('learner');
  await j.visit(rel('notes'), 'notes-before');
  const nf = p.getByRole('form', { name: 'Write a note' });
  const box = nf.getByLabel('Note', { exact: true });
  const save = nf.getByRole('button', { name: 'Save note' });
  // Empty: the server says /text is required.
  await box.fill('');
  await save.click();
  await checkFieldError(box);
  await j.visit(null, 'note-empty-error');
  // Too long: 20,001 characters.
  await box.evaluate((el) => { el.removeAttribute('maxlength'); });
  await box.fill('x'.repeat(20001));
  await save.click();
  await checkFieldError(box);
  await j.visit(null, 'note-long-error');
  // The incident form too (my pages).
  await j.visit(rel('incidents'), 'incidents-before');
  const inf = formWith(p, /what happened/i);
  await inf.getByRole('button', { name: 'Report' }).click();
  await checkFieldError(inf.getByLabel(/what happened/i));
  await j.visit(null, 'incident-error');
  // A wrong password before an export: said at the password field.
  await j.visit('#/me/export', 'export-before');
  const pw = p.getByLabel('Your password', { exact: true });
  await pw.fill('not-my-password');
  await p.getByRole('button', { name: 'Export my data' }).click();
  await checkFieldError(pw);
  assert(/wrong/i.test(await pw.evaluate((el) => el.closest('.field').querySelector('.field-error').textContent)), 'the wrong password is not said at its field');
  await j.visit(null, 'export-wrong-password');
}

async function checkFieldError(control) {
  await control.page().waitForFunction((el) => el.getAttribute('aria-invalid') === 'true', await control.elementHandle(), { timeout: 10000 });
  const msg = await control.evaluate((el) => {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    const texts = ids.map((id) => document.getElementById(id)).filter((x) => x && !x.hidden).map((x) => x.textContent.trim()).filter(Boolean);
    const wrap = el.closest('.field');
    const beside = wrap ? wrap.querySelector('.field-error') : null;
    return { described: texts.join(' '), beside: beside && !beside.hidden ? beside.textContent.trim() : '', focused: document.activeElement === el };
  });
  assert(msg.beside, 'no error message beside the field');
  assert(msg.described.includes(msg.beside), 'the field is not described by its error message');
}

export const JOURNEYS = [
  { name: 'learner', run: async (j, ctx) => { await learner(j, ctx); ctx.learnerDone = true; } },
  { name: 'guide', run: guide },
  { name: 'admin', run: admin },
  { name: 'admin-sees-no-text', run: adminSeesNoText },
  { name: 'validation-at-field', run: validation },
  ...MAIL_JOURNEYS,
  ...SETTINGS_JOURNEYS,
  ...MATCHING_JOURNEYS,
  ...JOURNEYS_FEEDBACK360,
  ...JOURNEYS_ALUMNI,
  ...CIRCLE_JOURNEYS,
  ...CIRCLE_MATCHING_JOURNEYS,
  ...ORG_JOURNEYS,
  ...NGINX_JOURNEYS,
];

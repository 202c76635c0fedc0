// journeys_settings.mjs: a program administrator changes the program's
// trust settings in the browser, by keyboard (the demo's program 1, whose
// Daniel Weiss and Ines Duarte carry ONE_WAY_FEEDBACK: relationship 5).

import { api, assert } from './lib.mjs';

const PROGRAM = 1;
const ONE_WAY_REL = 5;
const LABEL = /^Feedback only ever goes from the guide to the learner/;

async function openWarnings(base) {
  const page = await api(base, 'daniel.weiss@rapport.demo', 'GET', `/relationships/${ONE_WAY_REL}/warnings`);
  return page.items.map((w) => w.code);
}

/* Focuses the control and presses keys on it, as a keyboard user would. */
async function press(locator, ...keys) {
  await locator.focus();
  for (const k of keys) await locator.press(k);
}

async function programSettings(j) {
  const { page: p, server } = j;
  assert((await openWarnings(server.base)).includes('ONE_WAY_FEEDBACK'), 'the one-way pair has no ONE_WAY_FEEDBACK to begin with');
  await j.signIn('admin');
  await j.visit(`#/programs/${PROGRAM}`, 'settings-members');
  await p.locator('#main nav a', { hasText: 'Settings' }).first().click();
  await j.visit(null, 'settings');
  const form = p.getByRole('form', { name: 'Program settings' });
  const incident = form.getByLabel(/^An incident is open/);
  assert(await incident.isChecked() && await incident.isDisabled(), 'INCIDENT can be turned off');

  // A cadence of 0 is refused beside the field, and nothing changes.
  const cadence = form.getByLabel(/^Check-ins every/);
  await cadence.fill('0');
  await press(cadence, 'Enter');
  await j.settle();
  const err = await cadence.evaluate((el) => {
    const msg = el.closest('.field').querySelector('.field-error');
    return { text: msg && !msg.hidden ? msg.textContent : '', invalid: el.getAttribute('aria-invalid'), focused: document.activeElement === el };
  });
  assert(/between 1 and 365/.test(err.text) && err.invalid === 'true' && err.focused, `no error beside the cadence: ${JSON.stringify(err)}`);
  await j.visit(null, 'settings-refused');

  // Turn one-way feedback off with the space bar, save with Enter.
  await cadence.fill('14');
  const oneWay = form.getByLabel(LABEL);
  assert(await oneWay.isChecked(), 'one-way feedback is not on');
  await press(oneWay, 'Space');
  assert(!(await oneWay.isChecked()), 'the space bar did not turn it off');
  const [res] = await Promise.all([
    p.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes(`/programs/${PROGRAM}/settings`)),
    press(cadence, 'Enter'),
  ]);
  assert(res.ok(), `PUT settings: ${res.status()}`);
  const saved = await res.json();
  assert(saved.change.changed && saved.change.warnings_withdrawn >= 1, `nothing withdrawn: ${JSON.stringify(saved.change)}`);
  await j.settle();
  await p.locator('#main li', { hasText: 'turned off: one way feedback' }).first().waitFor();
  await j.visit(null, 'settings-saved');
  assert(!(await openWarnings(server.base)).includes('ONE_WAY_FEEDBACK'), 'the pair still sees ONE_WAY_FEEDBACK');
  const intro = await p.locator('#main p.muted').first().innerText();
  assert(/Early warnings turned off: one way feedback/.test(intro), `the program page does not say it: ${intro}`);

  // On again: the pair's warning returns.
  await press(form.getByLabel(LABEL), 'Space');
  const [again] = await Promise.all([
    p.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes(`/programs/${PROGRAM}/settings`)),
    form.getByRole('button', { name: 'Save the settings' }).press('Enter'),
  ]);
  assert(again.ok(), `PUT settings: ${again.status()}`);
  await j.settle();
  await p.locator('#main li', { hasText: 'turned on: one way feedback' }).first().waitFor();
  assert((await openWarnings(server.base)).includes('ONE_WAY_FEEDBACK'), 'ONE_WAY_FEEDBACK did not return');
  await j.visit(null, 'settings-restored');
}

export const JOURNEYS = [
  { name: 'program-settings', run: programSettings },
];

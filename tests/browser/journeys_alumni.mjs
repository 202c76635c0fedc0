// journeys_alumni.mjs: the alumni network in the browser.
//
// Omar Farouk's relationship with Priya Raman (demo relationship 6,
// program 1) has completed. Priya joined the alumni network showing her
// name and topics; Omar finds her in the directory, joins showing his name
// and topics, pays it forward (a guide now), and asks for long-term
// check-ins; once Priya wants them too he sends the short pulse, then
// proposes checking in every 45 days, which Priya agrees to.

import { api, assert, PEOPLE, sees, submit as submitTo } from './lib.mjs';

const REL = 6;
const PROGRAM = 1;
const PRIYA = 'priya.raman@rapport.demo';
PEOPLE.omar = 'omar.farouk@rapport.demo';

/* The answers here are matched on the end of their path. */
const submit = (page, button, method, urlPart) => submitTo(page, button, method, urlPart, 'endsWith');

async function alumni(j) {
  const { page: p, server } = j;
  await api(server.base, PRIYA, 'PUT', `/programs/${PROGRAM}/alumni/me`,
    { show_name: true, show_topics: true, topics: 'Negotiating a first salary' });
  await j.visit('#/signin', 'signin');
  await j.signIn('omar');
  await j.visit('#/alumni', 'alumni');
  await sees(j, 'Negotiating a first salary');
  const f = p.getByRole('form', { name: /^My alumni entry in/ }).first();
  await f.getByLabel('Show my name').check();
  await f.getByLabel('Show the topics I can help with').check();
  await f.getByRole('textbox', { name: /^Topics I can help with/ }).fill('Changing careers at forty');
  await submit(p, f.getByRole('button', { name: 'Join' }), 'PUT', '/alumni/me');
  await j.page.getByRole('button', { name: /Pay it forward/ }).first().waitFor();
  await j.visit(null, 'alumni-joined');
  await submit(p, p.getByRole('button', { name: /Pay it forward/ }).first(), 'POST', '/alumni/me/guide');
  const dir = await api(server.base, PRIYA, 'GET', `/programs/${PROGRAM}/alumni`);
  const omar = dir.items.find((x) => x.topics === 'Changing careers at forty');
  assert(omar && omar.guiding && omar.contact_person_id === null, 'the directory shows Omar as chosen');

  await j.visit(`#/relationships/${REL}/long-term`, 'long-term');
  await submit(p, p.getByRole('button', { name: 'I want long-term check-ins' }), 'PUT', '/long-term');
  await sees(j, 'waiting for the other person');
  await api(server.base, PRIYA, 'PUT', `/relationships/${REL}/long-term`, { want: true });
  await p.evaluate(() => { location.hash = '#/alumni'; });
  await j.settle();
  await j.visit(`#/relationships/${REL}/long-term`, 'long-term-on');
  await sees(j, 'you both want them');
  const sf = p.getByRole('form', { name: 'Short pulse' });
  for (const r of await sf.getByLabel('4 Often').all()) await r.check();
  await sf.getByLabel(/^Overall/).selectOption('8');
  const pulse = await submit(p, sf.getByRole('button', { name: 'Send the short pulse' }), 'POST', '/long-term/checkins');
  assert(pulse.answers.REL1 === 4 && pulse.answers.REL2 === null, 'the short pulse was not sent as answered');
  await sees(j, 'Next due');
  await j.visit(null, 'long-term-pulsed');

  // Their own cadence: Omar proposes every 45 days, Priya agrees.
  const cf = p.getByRole('form', { name: 'Propose a cadence' });
  await cf.getByLabel(/^Every how many days/).fill('45');
  await submit(p, cf.getByRole('button', { name: 'Propose' }), 'POST', '/cadence/proposal');
  await sees(j, 'You proposed every 45 days');
  await j.visit(null, 'long-term-cadence-proposed');
  const agreed = await api(server.base, PRIYA, 'POST', `/relationships/${REL}/long-term/cadence/agree`, { days: 45 });
  assert(agreed.cadence_days === 45, 'the cadence was not agreed');
  await p.evaluate(() => { location.hash = '#/alumni'; });
  await j.settle();
  await j.visit(`#/relationships/${REL}/long-term`, 'long-term-cadence-agreed');
  await sees(j, 'Every 45 days, as you both agreed');
}

export const JOURNEYS_ALUMNI = [{ name: 'alumni', run: alumni }];

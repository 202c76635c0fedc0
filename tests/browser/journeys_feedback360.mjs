// journeys_feedback360.mjs: 360-degree feedback in the browser.
//
// - feedback360: Leo Martin (learner in demo program 1, k = 5) asks his
//   guide Amara, five peers and one outside rater by e-mail address; the
//   peers and Amara answer through the API (Amara signs); Rapport mails the
//   outside rater a one-time link (read from the SMTP test server, as the
//   invitation journey does), which Leo never sees; the rater opens it in a
//   browser without any session and answers there, and the link's token
//   never stays in the address bar. Leo closes the request, reads the
//   report (groups hidden below k, Amara's signed answers, the reflection)
//   and shares it with Amara, who reads it too.
// - feedback360-circle-peers: Noah Fischer, of the "Thesis Writers" circle,
//   asks for feedback and picks the circle's other members from the form
//   as peers; only the people of his circle are offered.

import { api, assert, mails, PEOPLE, sees, submit as submitTo } from './lib.mjs';

const stamp = Date.now().toString(36);
const TEXTS = {
  purpose: `QF-PURPOSE-${stamp}: how do I come across when I lead the team meeting?`,
  outsideKeep: `QF-KEEP-${stamp}: the clear agenda you send beforehand`,
};
const PEERS = ['nadia.karim', 'sam.porter', 'yuki.tanaka', 'ines.duarte', 'omar.farouk']
  .map((n) => `${n}@rapport.demo`);
const GUIDE = 'amara.okafor@rapport.demo';
const OUTSIDE = `outside.rater.${stamp}@example.org`;
PEOPLE.noah = 'noah.fischer@rapport.demo';

/* The one link to the rating page (with its one-time token) in a mail. */
function rateLinkIn(mail) {
  const found = mail.text.match(/https?:\/\/[^\s]+\/#\/rate\/[A-Za-z0-9_-]{43}/g) || [];
  assert(found.length === 1, `${found.length} rating links in: ${mail.text}`);
  assert(mail.html.includes(`href="${found[0]}"`), 'the HTML part has not the same link');
  return found[0];
}

/* The answers here are matched on the end of their path. */
const submit = (page, button, method, urlPart) => submitTo(page, button, method, urlPart, 'endsWith');

async function feedback360(j) {
  const { page: p, server } = j;
  await j.visit('#/signin', 'signin');
  await j.signIn('learner');
  await j.visit('#/feedback360', 'feedback360');

  // Ask: purpose, raters by e-mail (the guide among them), one outside rater by address, self-assessment.
  const f = p.getByRole('form', { name: 'Ask for feedback' });
  await f.getByLabel(/Why you ask/).fill(TEXTS.purpose);
  await f.getByLabel(/^Raters in your program/).fill([GUIDE, ...PEERS].join('\n'));
  await f.getByLabel(/^Outside raters/).fill(OUTSIDE);
  for (const r of await f.getByLabel('4 Often').all()) await r.check();
  const req = await submit(p, f.getByRole('button', { name: 'Send the request' }), 'POST', '/feedback360');
  assert(req.raters.length === 7 && req.raters[0].group === 'guide', 'the guide is not in the group "guide"');
  assert(!JSON.stringify(req).includes('/rate/'), 'the requester was handed a rating link');
  await sees(j, 'Each of them is mailed a one-time link');
  await j.visit(null, 'feedback360-request');
  assert(!(await p.locator('#main').innerText()).includes('/#/rate/'), 'the page shows a rating link');

  // The outside rater's mail: who asks and why in fixed words, never the purpose.
  const [mail] = await mails(server, OUTSIDE);
  assert(mail, `no mail reached ${OUTSIDE}`);
  assert(mail.subject === 'Leo Martin asks for your feedback', `subject: ${mail.subject}`);
  assert(!mail.text.includes('QF-PURPOSE') && !mail.html.includes('QF-PURPOSE'), 'the mail carries the purpose');
  const link = rateLinkIn(mail);

  // Members answer (the guide signs); one peer declines.
  for (const [i, who] of PEERS.entries()) {
    await api(server.base, who, 'POST', `/rater/feedback360/${req.id}/answer`,
      { ratings: [3 + (i % 2), 3, 4, 4, 4, 2 + (i % 2), 4], keep: `peer ${i} keep`, change: `peer ${i} change` });
  }
  await api(server.base, GUIDE, 'POST', `/rater/feedback360/${req.id}/answer`,
    { ratings: [5, 4, 5, 5, 4, 4, 5], keep: 'Your preparation', change: 'Delegate more', sign: true });

  // The outside rater: a browser without a session opens the mailed link.
  await j.context.clearCookies();
  await p.goto(link);
  await j.settle();
  await sees(j, TEXTS.purpose.slice(0, 20));
  assert(!p.url().includes(link.split('/#/rate/')[1]), 'the token stayed in the address bar');
  await j.visit(null, 'feedback360-outside');
  const af = p.getByRole('form', { name: 'Your feedback' });
  for (const r of await af.getByLabel('3 Sometimes').all()) await r.check();
  await af.getByLabel(/keep doing/).fill(TEXTS.outsideKeep);
  await submit(p, af.getByRole('button', { name: 'Send my feedback' }), 'POST', '/feedback360-link/answer');
  await sees(j, 'your feedback is in');
  await j.visit(null, 'feedback360-outside-done');

  // Leo closes the request and reads the report.
  await p.goto(server.base + '/');
  await j.signIn('learner');
  await j.visit(`#/feedback360/${req.id}`, 'feedback360-open');
  await submit(p, p.getByRole('button', { name: 'Close now and build the report' }), 'POST', '/close');
  await sees(j, 'Read the report');
  await j.visit(`#/feedback360/${req.id}/report`, 'feedback360-report');
  await sees(j, 'Signed by your guide');
  await sees(j, TEXTS.outsideKeep.slice(0, 20));
  await sees(j, 'Reflection');
  const text = await p.locator('#main').innerText();
  for (const n of ['Nadia', 'Sam Porter', 'Yuki', 'Ines', 'Omar'])
    assert(!text.includes(n), `the report names ${n}`);

  // Share with the guide; she reads it.
  await j.visit(`#/feedback360/${req.id}`, 'feedback360-closed');
  const sf = p.getByRole('form', { name: 'Share with your guide' });
  await submit(p, sf.getByRole('button', { name: 'Share the report' }), 'PUT', '/share');
  await sees(j, 'Shared with your guide');
  await j.visit(null, 'feedback360-shared');
  const rep = await api(server.base, GUIDE, 'GET', `/feedback360/${req.id}/report`);
  assert(rep.signed.length === 1 && rep.open_answers.keep.includes(TEXTS.outsideKeep), 'the guide does not read the shared report');
}

async function circlePeers(j) {
  const { page: p } = j;
  await j.visit('#/signin', 'signin');
  await j.signIn('noah');
  await j.visit('#/feedback360', 'feedback360-noah');
  const f = p.getByRole('form', { name: 'Ask for feedback' });
  await f.getByRole('group', { name: 'Peers from your circles' }).waitFor({ timeout: 10000 });
  const offered = await f.getByRole('group', { name: 'Peers from your circles' }).getByRole('checkbox').evaluateAll(
    (boxes) => boxes.map((b) => b.labels[0].textContent.replace(/ \(circle .*$/, '')).sort());
  assert(JSON.stringify(offered) === JSON.stringify(['Aisha Bello', 'Lina Haddad', 'Mateo Silva', 'Mei Chen']),
    `the circle peers offered are ${offered}`);
  await f.getByLabel(/Why you ask/).fill(`QF-PEERS-${stamp}: how do I come across in our writing circle?`);
  for (const who of ['Mateo Silva', 'Aisha Bello', 'Lina Haddad']) await f.getByLabel(`${who} (circle "Thesis Writers")`).check();
  for (const r of await f.getByLabel('3 Sometimes').all()) await r.check();
  await j.visit(null, 'feedback360-circle-peers-picked');
  const req = await submit(p, f.getByRole('button', { name: 'Send the request' }), 'POST', '/feedback360');
  assert(req.raters.length === 3 && req.raters.every((r) => r.group === 'peers'), 'the circle peers are not "peers"');
  assert(['Mateo Silva', 'Aisha Bello', 'Lina Haddad'].every((n) => req.raters.some((r) => r.name === n)), 'not the peers picked');
  await sees(j, 'Who you asked');
  await j.visit(null, 'feedback360-circle-peers-asked');
}

export const JOURNEYS_FEEDBACK360 = [
  { name: 'feedback360', run: feedback360 },
  { name: 'feedback360-circle-peers', run: circlePeers },
];

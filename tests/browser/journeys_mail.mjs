// journeys_mail.mjs: what reaches people by mail, followed in the browser.
// The server sends to a real SMTP server on loopback (lib.mjs, startServer);
// `mails` reads what it received.
//
// - invited-by-mail: the administrator enrols a new member; the invitation
//   arrives by mail; its link opens the page that sets a password; the new
//   member is signed in, signs out, and signs in with that password. Then
//   "Forgot your password?": the reset mail's link sets a new one. Then the
//   mail preferences (time zone, quiet hours, a kind turned off), a calendar
//   feed made, fetched and turned off, and the notifications page.

import { assert, mails } from './lib.mjs';

const stamp = Date.now().toString(36);

/* The one link to `path` (with its one-time token) in a mail's text. */
function linkIn(mail, path) {
  const found = mail.text.match(new RegExp(`https?://[^\\s]+${path}#[A-Za-z0-9_-]{43}`, 'g')) || [];
  assert(found.length === 1, `${found.length} links to ${path} in: ${mail.text}`);
  assert(mail.html.includes(`href="${found[0]}"`), 'the HTML part has not the same link');
  return found[0];
}

async function setPassword(j, password) {
  const p = j.page;
  await p.getByLabel('New password', { exact: true }).fill(password);
  await p.getByRole('button', { name: /set password and sign in/i }).click();
  await p.waitForFunction(() => !/invitation|reset/.test(location.hash), null, { timeout: 10000 });
  await j.settle();
}

async function signOut(j) {
  await j.page.getByRole('button', { name: /sign out/i }).click();
  await j.page.waitForFunction(() => /signin/.test(location.hash), null, { timeout: 10000 });
  await j.settle();
}

async function invitedByMail(j) {
  const p = j.page;
  const email = `mail.journey.${stamp}@example.org`;
  const first = 'amber lantern 9172', second = 'quiet harbour 4410';
  await j.signIn('admin');
  await p.evaluate(() => { location.hash = '#/programs/1'; });
  await j.settle();
  const ef = p.locator('form').filter({ has: p.getByLabel(/^email/i) }).first();
  await ef.getByLabel(/^name/i).fill('Mei Tanaka');
  await ef.getByLabel(/^email/i).fill(email);
  await ef.getByLabel(/^role/i).selectOption('learner');
  await ef.getByRole('button', { name: /enrol/i }).click();
  await j.settle();
  await signOut(j);

  const [invitation] = await mails(j.server, email);
  assert(invitation, `no invitation mail reached ${email}`);
  assert(invitation.subject === 'Your invitation to Rapport', `subject: ${invitation.subject}`);
  assert(invitation.text.includes('Hello Mei Tanaka,'), 'the invitation does not greet its reader');
  await p.goto(linkIn(invitation, '/invitation'));
  await j.visit(null, 'invitation-from-mail');
  assert(!/#[A-Za-z0-9_-]{43}/.test(p.url()), `the token stayed in the address bar: ${p.url()}`);
  await setPassword(j, first);
  await p.locator('body').getByText(/Mei Tanaka/).first().waitFor();
  await signOut(j);

  // Sign in with the password just chosen.
  await p.getByLabel(/e-?mail/i).fill(email);
  await p.getByLabel(/password/i).fill(first);
  await p.getByRole('button', { name: /sign in/i }).click();
  await p.waitForFunction(() => !/signin/.test(location.hash), null, { timeout: 10000 });
  await j.settle();
  await signOut(j);

  // Forgot it: the reset mail's link sets a new one.
  await p.getByRole('link', { name: /forgot your password/i }).click();
  await j.visit(null, 'forgot-password');
  await p.getByLabel(/e-?mail/i).fill(email);
  await p.getByRole('button', { name: /mail me a link/i }).click();
  await p.getByRole('status').filter({ hasText: /on its way/ }).first().waitFor();
  const [, reset] = await mails(j.server, email, 2);
  assert(reset && reset.subject === 'Choose a new Rapport password', 'no password-reset mail');
  assert(reset.message_id !== invitation.message_id, 'two mails share a Message-ID');
  await p.goto(linkIn(reset, '/reset'));
  await j.visit(null, 'reset-from-mail');
  await p.getByRole('heading', { name: /choose a new password/i }).waitFor();
  await setPassword(j, second);
  await p.locator('body').getByText(/Mei Tanaka/).first().waitFor();

  // Mail preferences and the calendar feed.
  await j.visit('#/me/mail', 'mail-preferences');
  await p.getByLabel('Time zone').fill('Europe/Paris');
  await p.getByLabel('Quiet hours from').fill('21:00');
  await p.getByLabel('Quiet hours until').fill('07:30');
  await p.getByLabel('Early warnings in my relationships').uncheck();
  await p.getByRole('button', { name: /save preferences/i }).click();
  await p.getByText('Your mail preferences are saved.').first().waitFor({ state: 'attached' });
  const saved = await p.evaluate(async () => (await fetch('/api/v1/me/mail-preferences')).json());
  assert(saved.time_zone === 'Europe/Paris' && saved.quiet_from === '21:00' && saved.quiet_to === '07:30',
    `preferences not saved: ${JSON.stringify(saved)}`);
  assert(JSON.stringify(saved.off) === '["warning_raised"]', `off: ${JSON.stringify(saved.off)}`);
  await p.getByRole('button', { name: /make a calendar address/i }).click();
  const url = await p.locator('.feed-url').first().innerText();
  assert(/\/api\/v1\/calendar\.ics\?key=[A-Za-z0-9_-]{43}$/.test(url), `feed URL: ${url}`);
  const ics = await (await fetch(url)).text();
  assert(ics.startsWith('BEGIN:VCALENDAR'), 'the feed is not a calendar');
  await p.getByRole('button', { name: /turn the feed off/i }).click();
  await p.getByText('You have no calendar feed.').first().waitFor();
  assert((await fetch(url)).status === 404, 'the revoked feed still answers');
  await j.visit('#/me/notifications', 'notifications');
  await p.getByText('No notifications yet.').first().waitFor();
}

export const MAIL_JOURNEYS = [
  { name: 'invited-by-mail', run: invitedByMail },
];

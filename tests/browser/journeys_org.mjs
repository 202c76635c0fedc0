// journeys_org.mjs: bringing an organisation in, in the browser.
//
//   sso     a person enrolled by the admin signs in with "Sign in with Demo
//           SSO" through a real OpenID provider (tests/oidc/provider.mjs,
//           the npm package oidc-provider on loopback) and lands on their
//           home page, with nothing of the code or state left in the
//           address bar or the history; having no password, they export
//           their data after "Confirm with Demo SSO" (the provider asks
//           them to sign in again), then sign out, which signs them out
//           at the provider too and brings them back to the sign-in page.
//   roster  the program's admin uploads a CSV roster, reviews the dry run
//           row by row and applies it; the new members are listed.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, assert } from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROVIDER = path.join(HERE, '..', 'oidc', 'provider.mjs');

/* Starts the test provider; resolves to {issuer, stop()}. */
function startProvider(config) {
  const child = spawn(process.execPath, [PROVIDER, JSON.stringify(config)],
    { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`the test OpenID provider exited (${code})`)));
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const { issuer } = JSON.parse(out.slice(0, nl));
      resolve({ issuer, stop: () => child.kill('SIGTERM') });
    });
  });
}

async function sso(j) {
  const { page: p, server } = j;
  const email = 'nadia.sso@rapport.demo';
  const redirect = `${server.base}/sso/callback`;
  const idp = await startProvider({
    clients: [{ client_id: 'rapport-web', redirect_uris: [redirect], token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'], response_types: ['code'],
      post_logout_redirect_uris: [`${server.base}/signin`] }],
    accounts: { [email]: { name: 'Nadia Sso' } },
  });
  try {
    await api(server.base, 'admin@rapport.demo', 'POST', '/sso/providers', {
      name: 'Demo SSO', issuer: idp.issuer, client_id: 'rapport-web', redirect_uri: redirect,
      domains: ['rapport.demo'] });
    await api(server.base, 'admin@rapport.demo', 'POST', '/programs/1/members',
      { email, name: 'Nadia Sso', role: 'learner' });
    await p.reload(); /* the sign-in page drawn at the start knew no provider yet */
    await j.visit('#/signin', 'sso-signin');
    await p.getByRole('button', { name: 'Sign in with Demo SSO' }).click();
    await p.waitForURL((u) => u.toString().startsWith(idp.issuer));
    await p.getByLabel('E-mail').fill(email);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL((u) => u.toString().startsWith(server.base));
    await p.waitForFunction(() => location.hash === '#/', null, { timeout: 10000 });
    await j.visit(null, 'sso-home');
    const me = await p.evaluate(async () => (await fetch('/api/v1/me')).json());
    assert(me.person && me.person.email === email, `signed in as ${JSON.stringify(me.person)}`);
    const href = await p.evaluate(() => location.href);
    assert(!/code=|state=/.test(href), `the code or state stayed in the address: ${href}`);
    const { urls } = await j.traces();
    const back = urls.filter((u) => u.includes('/sso/callback?'));
    assert(back.length <= 1, 'the provider\'s answer was navigated to more than once');
    const hist = await p.evaluate(() => history.length);
    assert(hist >= 1, 'no history');
    // No password: the export is confirmed through the provider, which asks again.
    await j.visit('#/me/export', 'sso-recheck');
    await p.getByRole('button', { name: 'Confirm with Demo SSO' }).click();
    await p.waitForURL((u) => u.toString().startsWith(idp.issuer));
    await p.getByLabel('E-mail').fill(email);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL((u) => u.toString().startsWith(server.base));
    await p.waitForFunction(() => location.hash === '#/me/export', null, { timeout: 10000 });
    await p.locator('#main').getByText('You confirmed it is you a moment ago.').waitFor();
    await j.visit(null, 'sso-rechecked');
    const [dl] = await Promise.all([
      p.waitForEvent('download', { timeout: 15000 }),
      p.getByRole('button', { name: 'Export my data' }).click(),
    ]);
    const { readFile } = await import('node:fs/promises');
    const exported = JSON.parse(await readFile(await dl.path(), 'utf8'));
    assert(JSON.stringify(exported).includes(email), 'the export is not of the person signed in');
    // Signing out: at the provider too, then back to Rapport's sign-in page.
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.waitForURL((u) => u.toString().startsWith(idp.issuer));
    await p.getByRole('button', { name: 'Yes, sign me out' }).click();
    await p.waitForURL((u) => u.toString().startsWith(server.base));
    await p.locator('#main').getByText('You are signed out of Rapport and of your sign-in provider.').waitFor();
    await j.visit(null, 'sso-signed-out');
    const after = await p.evaluate(async () => (await fetch('/api/v1/me')).status);
    assert(after === 401, `still signed in after signing out (${after})`);
    const landed = await p.evaluate(() => location.href);
    assert(!/state=/.test(landed), `the provider's state stayed in the address: ${landed}`);
  } finally {
    idp.stop();
  }
}

async function roster(j) {
  const { page: p } = j;
  await j.signIn('admin');
  await j.visit('#/programs/1/roster', 'roster');
  const csv = 'email,name,role,topics\r\n' +
    'rosa.roster@rapport.demo,Rosa Roster,learner,Careers;Delegation\r\n' +
    'not-an-address,Broken,learner,\r\n';
  await p.getByLabel('Roster file (CSV)').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await p.getByRole('button', { name: 'Review the file' }).click();
  await p.locator('#main').getByText('Dry run: 1 to create, 0 to update, 0 unchanged, 1 refused').waitFor();
  await p.locator('#main').getByText('The e-mail address is not valid.').waitFor();
  await j.visit(null, 'roster-dry-run');
  await p.getByRole('button', { name: 'Apply the import' }).click();
  await p.locator('#main').getByText('Imported: 1 created').waitFor();
  await j.visit(null, 'roster-applied');
  await j.visit('#/programs/1', 'roster-members');
  // The members page is paged: load pages until the new member shows.
  const rosa = p.locator('#main').getByText('rosa.roster@rapport.demo').first();
  const more = p.locator('#main').getByRole('button', { name: 'Load more' });
  for (let i = 0; i < 10 && !(await rosa.isVisible()); i++) {
    if (!(await more.isVisible())) break;
    await more.click();
    await p.waitForTimeout(200);
  }
  await rosa.waitFor();
}

export const ORG_JOURNEYS = [
  { name: 'sso', run: sso },
  { name: 'roster', run: roster },
];

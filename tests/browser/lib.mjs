// lib.mjs: what the browser journeys share: a rapport server on loopback
// with a temporary database, Debian's chromium through playwright-core, and
// `visit`, which opens a page, waits until it is usable, runs axe-core and
// takes screenshots at desktop and phone width.
//
// Nothing here builds anything: the rapport binary is given (run.mjs).
//
// The server delivers its mail to a real SMTP server on loopback
// (tests/api/smtp_sink.py: python3-aiosmtpd with STARTTLS and AUTH), which
// writes each message it receives, decoded, into the server's folder;
// `mails(server, address)` reads them.

import { spawn, execFile } from 'node:child_process';
import { copyFile, mkdtemp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

export const PASSWORD = 'rapport-demo';
export const PEOPLE = {
  admin: 'admin@rapport.demo',
  guide: 'amara.okafor@rapport.demo',
  learner: 'leo.martin@rapport.demo',
};
export const WIDTHS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};
export const CHROMIUM = process.env.RAPPORT_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/* A free TCP port on 127.0.0.1 (the kernel's choice). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/* Creates a demo database in a new temporary folder and serves it.
 * Returns {base, dir, pristine, stop()}; stop() ends the server and removes
 * the folder. pristine is a copy of the demo database as `rapport demo`
 * made it, before any journey changed it (its key file and access log
 * beside it), for journeys that serve their own (journeys_nginx.mjs):
 * making the demo takes seconds, copying it a fraction of one. */
export async function startServer(bin) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-browser-'));
  const db = path.join(dir, 'demo.db');
  await run(bin, ['demo', '--db', db], { maxBuffer: 1 << 24 });
  const pristineDir = path.join(dir, 'pristine');
  await mkdir(pristineDir);
  for (const f of await readdir(dir)) {
    if (f.startsWith('demo.')) await copyFile(path.join(dir, f), path.join(pristineDir, f));
  }
  const port = await freePort();
  const listen = `127.0.0.1:${port}`;
  const log = [];
  const mailDir = path.join(dir, 'mail');
  await mkdir(mailDir);
  const sink = await startSink(mailDir, log);
  const child = spawn(bin, ['serve', '--db', db, '--listen', listen, '--dev', ...sink.args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => log.push(String(d)));
  child.stderr.on('data', (d) => log.push(String(d)));
  let exited = null;
  child.on('exit', (code, sig) => { exited = { code, sig }; });
  const base = `http://${listen}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (exited) throw new Error(`rapport serve exited (${JSON.stringify(exited)}): ${log.join('')}`);
    try {
      const r = await fetch(`${base}/api/v1`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`rapport serve did not answer on ${base}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(() => { if (!exited) child.kill('SIGKILL'); }, 5000);
      await new Promise((r) => (exited ? r() : child.once('exit', r)));
      clearTimeout(t);
    }
    await sink.stop();
    await rm(dir, { recursive: true, force: true });
  };
  return { base, dir, db, pristine: path.join(pristineDir, 'demo.db'), stop, log, mailDir };
}

const SINK = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'api', 'smtp_sink.py');

/* The SMTP server the rapport server sends to; {args (for serve), stop()}. */
async function startSink(mailDir, log) {
  const { info: args, stop } = await startHelper(process.env.PYTHON || 'python3', [SINK, mailDir], log, 'the SMTP sink');
  return { args, stop };
}

/* Starts a helper program that prints one JSON line once it is ready and
 * ends when its standard input closes (tests/api/smtp_sink.py,
 * tests/api/nginx_front.py); its standard error goes to log. Returns
 * {info (the line, parsed), stop()}. */
export async function startHelper(cmd, args, log, what) {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.on('data', (d) => log.push(String(d)));
  const info = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)));
    });
    child.on('exit', (code) => reject(new Error(`${what} exited (${code}): ${log.join('')}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.stdin.end();
    await gone;
  };
  return { info, stop };
}

/* The mails the server sent to address so far (oldest first), each
 * {to, from, subject, message_id, text, html}; waits up to `timeout` ms
 * for at least `count`. */
export async function mails(server, address, count = 1, timeout = 15000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = [];
    for (const f of (await readdir(server.mailDir)).filter((n) => n.endsWith('.json')).sort()) {
      const m = JSON.parse(await readFile(path.join(server.mailDir, f), 'utf8'));
      if (m.to.map((t) => t.toLowerCase()).includes(address.toLowerCase())) found.push(m);
    }
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/* The API as a script would use it (bearer token), for setting up data. */
export async function api(base, email, method, pathname, body) {
  const s = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!s.ok) throw new Error(`sign-in of ${email}: ${s.status}`);
  const { token } = await s.json();
  const r = await fetch(`${base}/api/v1${pathname}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${pathname}: ${r.status} ${text}`);
  await fetch(`${base}/api/v1/session`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
  return text ? JSON.parse(text) : null;
}

export async function launch() {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (err) {
    throw new Error(`playwright-core is not installed: run \`npm ci\` at the repository root (make test does). ${err.message}`);
  }
  // playwright gives each launch its own new temporary --user-data-dir and
  // removes it at close; every journey also gets a new context (no cookies,
  // no storage carried over).
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

let axeSource = null;
async function axe() {
  if (!axeSource) axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/* One journey's browser context, with what it saw recorded:
 *   urls       every URL the page navigated to (hash changes included)
 *   responses  [{url, body}] of every API response (text)
 *   problems   console errors and CSP reports
 *   pages      [{name, width, violations}] from visit() */
export class Journey {
  constructor(browser, server, shotsDir, name) {
    this.browser = browser;
    this.server = server;
    this.shotsDir = shotsDir;
    this.name = name;
    this.urls = [];
    this.responses = [];
    this.problems = [];
    this.axe = [];
    this.shots = 0;
  }

  async open() {
    this.context = await this.browser.newContext({ viewport: WIDTHS.desktop });
    this.context.setDefaultTimeout(10000);
    this.page = await this.context.newPage();
    const p = this.page;
    p.on('framenavigated', (f) => { if (f === p.mainFrame()) this.urls.push(f.url()); });
    p.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) this.problems.push(`console: ${m.text()}`);
    });
    p.on('pageerror', (err) => this.problems.push(`page error: ${err.message}`));
    p.on('response', async (r) => {
      if (!r.url().includes('/api/')) return;
      try { this.responses.push({ url: r.url(), status: r.status(), body: await r.text() }); } catch { /* body gone */ }
    });
    // Hash changes do not fire framenavigated for the main frame in every
    // version; record them from the page too.
    await p.exposeFunction('__rapportTestUrl', (u) => this.urls.push(u));
    await p.addInitScript(() => {
      window.addEventListener('hashchange', () => window.__rapportTestUrl(location.href));
    });
    await p.goto(this.server.base + '/');
    return p;
  }

  async close() {
    if (this.context) await this.context.close();
  }

  /* Waits until the page has settled: no request in flight for 300 ms and
   * nothing marked busy. */
  async settle() {
    const p = this.page;
    await p.waitForLoadState('networkidle', { timeout: 10000 }).catch(() => {});
    await p.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 10000 });
  }

  /* Goes to a route (hash like '#/relationships/1') unless null (stay),
   * waits, then at both widths runs axe and saves a screenshot named
   * <journey>-<name>-<width>.png. */
  async visit(hash, name) {
    const p = this.page;
    if (hash !== null) {
      await p.evaluate((h) => { if (location.hash !== h) location.hash = h; }, hash);
      this.urls.push(await p.evaluate(() => location.href));
    }
    await this.settle();
    for (const [wname, size] of Object.entries(WIDTHS)) {
      await p.setViewportSize(size);
      await p.waitForTimeout(50);
      await this.check(`${name} (${wname})`);
      await mkdir(this.shotsDir, { recursive: true });
      await p.screenshot({ path: path.join(this.shotsDir, `${this.name}-${name}-${wname}.png`), fullPage: true });
      this.shots++;
    }
    await p.setViewportSize(WIDTHS.desktop);
  }

  /* axe-core on the page as it is: any serious or critical violation is a
   * failure (thrown). axe is evaluated through the DevTools protocol, so the
   * page's CSP (which refuses inline scripts) stays as it is. */
  async check(label) {
    const p = this.page;
    const has = await p.evaluate(() => typeof window.axe === 'object');
    if (!has) await p.evaluate(await axe());
    const res = await p.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    const bad = res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    this.axe.push({ label, violations: res.length, bad: bad.length, minor: res.filter((v) => !bad.includes(v)).map((v) => `${v.id}(${v.impact})`) });
    if (bad.length) {
      throw new Error(`axe on ${label}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.join(', ')}`).join('; ')}`);
    }
  }

  /* Signs in through the sign-in form. */
  async signIn(who) {
    const p = this.page;
    await p.evaluate(() => { location.hash = '#/signin'; });
    await this.settle();
    await p.getByLabel(/e-?mail/i).fill(PEOPLE[who]);
    await p.getByLabel(/password/i).fill(PASSWORD);
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.waitForFunction(() => !/signin/.test(location.hash), null, { timeout: 10000 });
    await this.settle();
  }

  /* The text of every storage area and the history's URLs, for the
   * confidentiality checks. */
  async traces() {
    const p = this.page;
    const stored = await p.evaluate(() => {
      const dump = (s) => { const o = {}; for (let i = 0; i < s.length; i++) o[s.key(i)] = s.getItem(s.key(i)); return o; };
      return JSON.stringify({ local: dump(localStorage), session: dump(sessionStorage), url: location.href, title: document.title, historyState: history.state });
    });
    return { stored, urls: this.urls.slice() };
  }

  async dom() {
    return this.page.evaluate(() => document.documentElement.outerHTML);
  }
}

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/* No text of texts (its first 12 characters) in any URL the journey went
 * through, in local or session storage, in history.state or in the title;
 * and web storage empty. */
export async function noTraces(j, texts) {
  const { stored, urls } = await j.traces();
  const words = texts.map((t) => t.slice(0, 12));
  for (const w of words) {
    for (const u of urls) assert(!decodeURIComponent(u).includes(w), `confidential text in a URL: ${u}`);
    assert(!stored.includes(w), `confidential text in storage or history: ${w}`);
  }
  const storageKeys = await j.page.evaluate(() => localStorage.length + sessionStorage.length);
  assert(storageKeys === 0, `the client left ${storageKeys} items in web storage`);
}

/* Clicks `button` and waits for the API's answer to METHOD …urlPart… (a
 * path that includes urlPart; match 'endsWith': one that ends with it);
 * fails unless it is a success. Returns the parsed body. */
export async function submit(page, button, method, urlPart, match = 'includes') {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname[match](urlPart)),
    button.click(),
  ]);
  const body = await res.text();
  assert(res.ok(), `${method} ${urlPart}: ${res.status()} ${body}`);
  return body ? JSON.parse(body) : null;
}

/* Waits until `text` (a string or a RegExp) shows anywhere in #main. */
export async function sees(j, text, timeout = 10000) {
  await j.page.locator('#main').getByText(text).first().waitFor({ timeout });
}

/* A datetime-local input's value for the date d (local time). */
export function localInput(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

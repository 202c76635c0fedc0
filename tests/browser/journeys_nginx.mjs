// journeys_nginx.mjs: a browser journey through Debian's nginx in front of
// two `rapport serve` instances on one PostgreSQL database, as
// docs/operations.md ("Several instances") tells operators to run them.
//
// Its servers are its own (`serve`, which run.mjs calls): a private
// PostgreSQL cluster (tests/api/pgcluster.py, as an unprivileged user when
// run as root), the demo copied into it (`rapport db copy` of the runner's
// demo as made, so the demo is not made twice), two instances on it, and
// nginx with the configuration Rapport ships, dist/nginx-rapport.conf
// (tests/api/nginx_front.py changes only its addresses and log path).
//
// behind-nginx: Leo Martin signs in and, in relationship 1, writes a note
// and schedules a check-in; nginx's round robin sends the requests to both
// instances (each answer's X-Request-Id is found in the log of exactly one
// of them, and nginx's access log names both). The instance that
// acknowledged the check-in is then killed (SIGKILL) and the journey carries
// on through the other: the pulse, a second note, a reload of the page. The
// session is still valid (it is a row in the database), the note and the
// check-in written before the kill are there, nginx moved the requests that
// came to the dead instance to the other (its access log says so) and the
// browser saw no error. The access log's chain verifies afterwards.

import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { assert, localInput, noTraces, sees, startHelper, submit } from './lib.mjs';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const API_TESTS = path.join(HERE, '..', 'api');
const PYTHON = process.env.PYTHON || 'python3';
const REL = 1;
const rel = (tab = '') => `#/relationships/${REL}${tab ? '/' + tab : ''}`;
const stamp = Date.now().toString(36);
const TEXTS = {
  before: `QX-NGINX-BEFORE-${stamp}: what we agreed before the instance went down.`,
  after: `QX-NGINX-AFTER-${stamp}: written through the instance that stayed up.`,
};

/* One `rapport serve` on the database; resolves once it serves. Its
 * standard error (the text log, a line per request with its id) is kept. */
async function serveInstance(bin, db, key, name) {
  const child = spawn(bin, ['serve', '--db', db, '--key', key, '--listen', '127.0.0.1:0',
    '--threads', '2', '--dev'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const inst = { name, child, log: [], exited: null };
  child.stderr.on('data', (d) => inst.log.push(String(d)));
  child.on('exit', (code, sig) => { inst.exited = { code, sig }; });
  inst.base = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = out.match(/^Rapport is serving (http:\/\/127\.0\.0\.1:\d+)\n/);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`instance ${name} exited: ${inst.log.join('')}`)));
  });
  inst.address = inst.base.slice('http://'.length);
  /* The ids of the requests this instance answered (its log's request lines). */
  inst.requestIds = () => new Set([...inst.log.join('').matchAll(/ request id=([0-9a-f]+) /g)].map((m) => m[1]));
  inst.stop = async () => {
    if (inst.exited) return inst.exited;
    const gone = new Promise((r) => child.once('exit', () => r(inst.exited)));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 15000);
    const how = await gone;
    clearTimeout(t);
    return how;
  };
  return inst;
}

/* nginx (tests/api/nginx_front.py, the shipped configuration) in front of
 * the two instances: {base, access_log, stop()}. */
async function startNginx(folder, a, b, log) {
  const { info, stop } = await startHelper(PYTHON, [path.join(API_TESTS, 'nginx_front.py'), folder,
    a.address, b.address], log, 'nginx_front.py');
  return { ...info, stop };
}

/* nginx's access log (nginx_front.py's format): {method, path, status,
 * upstreams: [addresses tried, in order], request_id}. */
async function accessLog(file) {
  const text = await readFile(file, 'utf8').catch(() => '');
  const re = /^\S+ \S+ "(\S+) ([^"]*)" (\d+) upstream=(.*?) upstream_status=(.*?) request_id=(\S*) time=\S+$/;
  return text.split('\n').filter(Boolean).map((line) => {
    const m = line.match(re);
    assert(m, `an access log line not in rapport_upstream's format: ${line}`);
    return { method: m[1], path: m[2], status: Number(m[3]),
      upstreams: m[4].split(',').map((u) => u.trim()).filter((u) => u && u !== '-'), request_id: m[6] };
  });
}

/* The servers of the journey: {base (nginx), instances, accessLog, stop()}.
 * shared is the runner's demo server, whose pristine demo is copied. */
export async function startBehindNginx(bin, shared) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-nginx-'));
  const parts = [];
  const nginxLog = [];
  const stop = async () => {
    for (const p of parts.reverse()) await p().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    let demo = shared && shared.pristine;
    if (!demo) { // a server started elsewhere (RAPPORT_TEST_BASE): make a demo
      demo = path.join(dir, 'demo.db');
      await run(bin, ['demo', '--db', demo], { maxBuffer: 1 << 24 });
    }
    const key = path.join(dir, 'rapport.key');
    await copyFile(demo.replace(/\.db$/, '.key'), key);
    const { stdout } = await run(PYTHON, [path.join(API_TESTS, 'pgcluster.py'), 'start']);
    const [pgBase, pgDir] = stdout.trim().split(/\s+/);
    parts.push(() => run(PYTHON, [path.join(API_TESTS, 'pgcluster.py'), 'stop', pgDir]));
    await run('psql', ['-q', `${pgBase}/postgres`, '-c', 'CREATE DATABASE rapport']);
    const db = `${pgBase}/rapport`;
    await run(bin, ['db', 'copy', '--from', demo, '--to', db, '--key', key]);
    const instances = [];
    for (const name of ['a', 'b']) {
      const inst = await serveInstance(bin, db, key, name);
      instances.push(inst);
      parts.push(() => inst.stop());
    }
    const front = await startNginx(path.join(dir, 'nginx'), instances[0], instances[1], nginxLog);
    parts.push(() => front.stop());
    return { base: front.base, bin, db, key, instances, accessLogFile: front.access_log,
      accessLog: () => accessLog(front.access_log),
      log: [...instances.map((i) => i.log).flat(), ...nginxLog], stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/* Which instance answered each response seen so far: each X-Request-Id is
 * in the log of exactly one of them. */
function answeredBy(env, seen) {
  const ids = env.instances.map((i) => i.requestIds());
  return seen.map((r) => {
    const by = env.instances.filter((_, k) => ids[k].has(r.id));
    assert(by.length === 1, `${r.method} ${r.url} (${r.id}) is in the log of ${by.length} instances`);
    return { ...r, by: by[0] };
  });
}

async function behindNginx(j) {
  const p = j.page;
  const env = j.server;
  const seen = [];
  p.on('response', (r) => {
    if (!r.url().startsWith(env.base)) return;
    seen.push({ method: r.request().method(), url: r.url(), status: r.status(), id: r.headers()['x-request-id'] });
  });

  await j.visit('#/signin', 'signin');
  await j.signIn('learner');
  await j.visit(null, 'home');

  // A note the other party can read.
  await j.visit(rel('notes'), 'notes');
  const nf = p.getByRole('form', { name: 'Write a note' });
  await nf.getByLabel('Note', { exact: true }).fill(TEXTS.before);
  await nf.getByLabel(/^Me and /).check();
  await submit(p, nf.getByRole('button', { name: 'Save note' }), 'POST', '/notes');
  await sees(j, TEXTS.before.slice(0, 24));
  await j.visit(null, 'note-written');

  // A check-in, the day after tomorrow.
  await j.visit(rel('checkins'), 'checkins');
  const cf = p.getByRole('form', { name: 'Schedule a check-in' });
  await cf.locator('input[type=datetime-local]').fill(localInput(new Date(Date.now() + 2 * 86400000)));
  const ck = await submit(p, cf.getByRole('button', { name: 'Schedule' }), 'POST', '/checkins');
  await j.settle();
  await p.locator(`#main time[datetime="${ck.scheduled_at}"]`).first().waitFor();
  await j.visit(null, 'checkin-scheduled');

  // Round robin: both instances answered this person's requests.
  const before = answeredBy(env, seen.filter((r) => r.id));
  assert(before.length === seen.length, `${seen.length - before.length} answers without an X-Request-Id`);
  for (const inst of env.instances) {
    const n = before.filter((r) => r.by === inst).length;
    assert(n >= 3, `instance ${inst.name} answered ${n} of the ${before.length} requests before the kill`);
  }
  const wrote = (m, part) => before.find((r) => r.method === m && new URL(r.url).pathname.endsWith(part) && r.status === 201);
  const victim = wrote('POST', '/checkins').by;
  const survivor = env.instances.find((i) => i !== victim);

  // The instance that acknowledged the check-in goes down, mid-journey.
  const logBefore = (await env.accessLog()).length;
  const seenBefore = seen.length;
  victim.child.kill('SIGKILL');
  await new Promise((r) => (victim.exited ? r() : victim.child.once('exit', r)));
  assert(victim.exited.sig === 'SIGKILL', `instance ${victim.name} ended by ${JSON.stringify(victim.exited)}`);

  // The pulse, through the instance that stayed up: every item 4, overall 7.
  await j.visit(rel('pulse'), 'pulse');
  const pf = p.getByRole('form', { name: /^Pulse about/ });
  for (const r of await pf.getByLabel('4 Often').all()) await r.check();
  await pf.getByLabel(/^Overall/).selectOption('7');
  const pulse = await submit(p, pf.getByRole('button', { name: 'Send my pulse' }), 'POST', '/pulses');
  assert(pulse.overall === 7, 'the pulse was not sent as answered');

  // A second note, then the whole page again (the app's files too) from the survivor.
  await j.visit(rel('notes'), 'notes-after');
  await nf.getByLabel('Note', { exact: true }).fill(TEXTS.after);
  await nf.getByLabel(/^Me and /).check();
  await submit(p, nf.getByRole('button', { name: 'Save note' }), 'POST', '/notes');
  await sees(j, TEXTS.after.slice(0, 24));
  await p.reload();
  await j.settle();
  assert(!/signin/.test(await p.evaluate(() => location.hash)), 'the session did not survive the instance');
  await sees(j, TEXTS.before.slice(0, 24));
  await sees(j, TEXTS.after.slice(0, 24));
  await j.visit(null, 'notes-reloaded');
  await j.visit(rel('checkins'), 'checkins-after');
  await p.locator(`#main time[datetime="${ck.scheduled_at}"]`).first().waitFor();
  await j.visit(rel('pulse'), 'pulse-after');
  await p.locator('#main li').filter({ has: p.locator(`time[datetime="${pulse.answered_at}"]`) })
    .filter({ hasText: 'Overall 7/10' }).first().waitFor();

  // Everything after the kill: answered by the survivor, none failed.
  const after = seen.slice(seenBefore);
  assert(after.length >= 10, `only ${after.length} requests after the kill`);
  const bad = after.filter((r) => r.status >= 500);
  assert(!bad.length, `answers after the kill: ${bad.map((r) => `${r.status} ${r.url}`).join(', ')}`);
  const survivorIds = survivor.requestIds();
  const lost = after.filter((r) => !survivorIds.has(r.id));
  assert(!lost.length, `not answered by the survivor: ${lost.map((r) => r.url).join(', ')}`);
  // nginx's access log: both instances before the kill; after it, the
  // requests that came to the dead one were passed on to the survivor.
  const log = await env.accessLog();
  const early = log.slice(0, logBefore).map((l) => l.upstreams.at(-1));
  for (const inst of env.instances) {
    assert(early.includes(inst.address), `nginx's access log names no request to ${inst.name} before the kill`);
  }
  const late = log.slice(logBefore);
  assert(late.every((l) => l.upstreams.at(-1) === survivor.address && l.status < 500),
    `after the kill: ${late.filter((l) => l.upstreams.at(-1) !== survivor.address || l.status >= 500).map((l) => `${l.status} ${l.upstreams}`).join('; ')}`);
  const passedOn = late.filter((l) => l.upstreams.length === 2 && l.upstreams[0] === victim.address);
  assert(passedOn.length >= 1, 'nginx never tried the killed instance after the kill');
  assert(!survivor.exited, 'the survivor exited');
  console.log(`     before the kill: ${env.instances.map((i) => `${i.name} answered ${before.filter((r) => r.by === i).length}`).join(', ')}` +
    ` of ${before.length}; instance ${victim.name} killed; after: ${after.length} answered by ${survivor.name},` +
    ` ${passedOn.length} passed on by nginx from ${victim.name}`);

  // No note text in the browser's traces, nor in any log: nginx's or an instance's.
  await noTraces(j, Object.values(TEXTS));
  const logs = [await readFile(env.accessLogFile, 'utf8'), ...env.instances.map((i) => i.log.join(''))];
  for (const t of Object.values(TEXTS)) assert(!logs.some((l) => l.includes(t.slice(0, 16))), 'note text in a log');

  // The survivor stops cleanly, and the access log of sealed text is still one chain.
  const how = await survivor.stop();
  assert(how.code === 0, `instance ${survivor.name} stopped with ${JSON.stringify(how)}: ${survivor.log.join('').slice(-2000)}`);
  for (const inst of env.instances) {
    const text = inst.log.join('');
    assert(!/AddressSanitizer|LeakSanitizer|runtime error:/.test(text), `instance ${inst.name} reported: ${text.slice(-4000)}`);
  }
  const { stdout } = await run(env.bin, ['audit', 'verify', '--db', env.db, '--key', env.key]);
  assert(/chain intact/.test(stdout), `audit verify: ${stdout}`);
}

export const NGINX_JOURNEYS = [
  { name: 'behind-nginx', serve: startBehindNginx, run: behindNginx },
];

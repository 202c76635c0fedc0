#!/usr/bin/env node
// run.mjs: the browser tests. Real Chromium (Debian's /usr/bin/chromium,
// headless) driven by playwright-core against a real `rapport serve` on a
// free loopback port with a temporary demo database.
//
//   node tests/browser/run.mjs BUILD/src/rapport [journey-name ...]
//       (or RAPPORT_TEST_BIN=...; meson passes it: tests/meson.build)
//   RAPPORT_TEST_BASE=http://127.0.0.1:PORT node tests/browser/run.mjs BIN [journey]
//       against a demo server already running (while writing journeys)
//
// Builds nothing. Each journey (journeys.mjs) gets a new browser context,
// and the demo server, or its own servers when it has a `serve` (a journey
// through nginx in front of two instances on PostgreSQL);
// every page it shows is checked with axe-core (no serious or critical
// violation) and photographed at 1280x800 and 390x844 into
// <build>/browser-shots/ (RAPPORT_SHOTS to choose). The server is always
// stopped and its folder removed, whatever happened.
//
// Prints a line per journey and, last, `RESULT passed=N failed=M`
// (tests/run_all.py counts that line). Exits 1 when anything failed.

import { access, rm } from 'node:fs/promises';
import path from 'node:path';
import { CHROMIUM, Journey, launch, startServer } from './lib.mjs';
import { JOURNEYS } from './journeys.mjs';

const bin = path.resolve(process.argv[2] || process.env.RAPPORT_TEST_BIN || '');
const only = process.argv.slice(3);
const shotsDir = path.resolve(process.env.RAPPORT_SHOTS ||
  path.join(path.dirname(path.dirname(bin)), 'browser-shots'));

async function main() {
  try { await access(bin); } catch {
    console.error(`usage: node tests/browser/run.mjs PATH/TO/rapport (not found: ${bin})`);
    return 2;
  }
  try { await access(CHROMIUM); } catch {
    console.error(`${CHROMIUM} not found: apt-get install chromium (make test installs it)`);
    console.log('RESULT passed=0 failed=1');
    return 1;
  }
  await rm(shotsDir, { recursive: true, force: true });
  let passed = 0, failed = 0, shots = 0, axePages = 0;
  const minor = new Map();
  let server = null, browser = null;
  try {
    // RAPPORT_TEST_BASE: journeys against a demo server already running
    // (while writing them); the normal run starts its own.
    server = process.env.RAPPORT_TEST_BASE
      ? { base: process.env.RAPPORT_TEST_BASE, log: [], stop: async () => {} }
      : await startServer(bin);
    browser = await launch();
    const ctx = {}; // what one journey leaves for the next (ids, texts)
    for (const j of JOURNEYS) {
      if (only.length && !only.includes(j.name)) continue;
      const t0 = Date.now();
      const jr = new Journey(browser, server, shotsDir, j.name);
      let own = null;
      try {
        // A journey that needs servers of its own (j.serve: several
        // instances behind nginx) gets them here; they are stopped after it,
        // whatever happened.
        if (j.serve) jr.server = own = await j.serve(bin, server);
        await jr.open();
        await j.run(jr, ctx);
        if (jr.problems.length) throw new Error(`the page reported: ${jr.problems.join(' | ')}`);
        passed++;
        console.log(`ok   ${j.name} (${Date.now() - t0} ms, ${jr.axe.length} axe checks)`);
      } catch (err) {
        failed++;
        console.log(`FAIL ${j.name}: ${err && err.stack ? err.stack : err}`);
        try {
          await jr.page.screenshot({ path: path.join(shotsDir, `FAILED-${j.name}.png`), fullPage: true });
          console.log(`     at ${await jr.page.evaluate(() => location.href)}; screenshot FAILED-${j.name}.png`);
        } catch { /* the page is gone */ }
      } finally {
        shots += jr.shots;
        axePages += jr.axe.length;
        for (const a of jr.axe) for (const m of a.minor) minor.set(m, (minor.get(m) || 0) + 1);
        await jr.close().catch(() => {});
        if (own) await own.stop().catch((err) => console.log(`     stopping its servers: ${err}`));
      }
    }
  } catch (err) {
    failed++;
    console.log(`FAIL setup: ${err && err.stack ? err.stack : err}`);
    if (server) console.log(server.log.join('').slice(-4000));
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop().catch(() => {});
  }
  console.log(`---- axe-core: ${axePages} page checks, none serious or critical among the passing journeys` +
    (minor.size ? `; moderate/minor seen: ${[...minor].map(([k, n]) => `${k} x${n}`).join(', ')}` : ''));
  console.log(`---- screenshots: ${shots} in ${shotsDir}`);
  console.log(`RESULT passed=${passed} failed=${failed}`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.log(`FAIL runner: ${err && err.stack ? err.stack : err}`);
  console.log('RESULT passed=0 failed=1');
  process.exit(1);
});

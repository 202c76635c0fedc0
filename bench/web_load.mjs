#!/usr/bin/env node
// web_load.mjs: how heavy and how quick the relationship page is on first load.
//
//   node bench/web_load.mjs PATH/TO/rapport [runs]      (make bench, make bench-web)
//
// Serves a fresh demo database (`rapport demo`) on a free loopback port,
// signs the learner in (the session cookie only: nothing else is cached),
// then `runs` times (default 15) opens #/relationships/1 in a NEW browser
// context (an empty cache) of Debian's chromium through playwright-core and
// reads the browser's own figures:
//
//   bytes   transferSize of the navigation and of every resource (Resource
//           Timing), what went over the wire; also encodedBodySize (bodies
//           as sent) and decodedBodySize.
//   usable  milliseconds from the navigation's start until the page's main
//           data is on screen: the `rapport:usable` performance mark, which
//           web/js/pages/relationship.js sets in the first animation frame
//           after the overview has drawn its data (the header and tabs, the
//           state, the figures, what needs attention and the first page of
//           recent activity). A client without the mark (an older build) is
//           measured by watching instead: the first frame at which #main has
//           its heading and tabs, no loading state and nothing aria-busy
//           (from the page's first script on, by requestAnimationFrame); the
//           two agree for this page.
//
// Prints each run, then median and max, against the targets (under 200 KB,
// usable within 300 ms on loopback). Exits 0 whatever the figures: a
// benchmark reports, the tests judge.

import path from 'node:path';
import { launch, startServer, PEOPLE, PASSWORD, WIDTHS } from '../tests/browser/lib.mjs';

const bin = path.resolve(process.argv[2] || process.env.RAPPORT_TEST_BIN || 'build/src/rapport');
const runs = Number(process.argv[3] || process.env.RUNS || 15);
const TARGET_KB = 200, TARGET_MS = 300;

/* In the page before its own scripts: notes when the page became usable. */
function watchUsable() {
  const done = () => {
    const main = document.getElementById('main');
    if (!main || !main.querySelector('h1, h2')) return false;
    if (main.querySelector('.loading, [aria-busy="true"]')) return false;
    return !!main.querySelector('.tabs'); /* the relationship page's tab list is drawn */
  };
  const tick = () => {
    if (performance.getEntriesByName('rapport:usable').length) return;
    if (done()) { window.__usableAt = performance.now(); return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function one(browser, base, run) {
  const ctx = await browser.newContext({ viewport: WIDTHS.desktop });
  try {
    const r = await ctx.request.post(`${base}/api/v1/session`, { data: { email: PEOPLE.learner, password: PASSWORD } });
    if (!r.ok()) throw new Error(`sign-in: ${r.status()}`);
    const page = await ctx.newPage();
    await page.addInitScript(watchUsable);
    await page.goto(`${base}/#/relationships/1`, { waitUntil: 'load' });
    const usable = await page.waitForFunction(() => {
      const m = performance.getEntriesByName('rapport:usable');
      if (m.length) return { ms: m[0].startTime, how: 'mark' };
      return window.__usableAt ? { ms: window.__usableAt, how: 'watch' } : null;
    }, null, { timeout: 15000, polling: 10 }).then((h) => h.jsonValue());
    await page.waitForLoadState('networkidle');
    const sizes = await page.evaluate(() => {
      const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
      const sum = (k) => all.reduce((a, e) => a + (e[k] || 0), 0);
      return { transfer: sum('transferSize'), encoded: sum('encodedBodySize'), decoded: sum('decodedBodySize'), n: all.length };
    });
    return { run, ...sizes, usable: usable.ms, how: usable.how };
  } finally {
    await ctx.close();
  }
}

async function main() {
  const server = process.env.RAPPORT_TEST_BASE // a demo server already running
    ? { base: process.env.RAPPORT_TEST_BASE, stop: async () => {} }
    : await startServer(bin);
  let browser = null;
  try {
    browser = await launch();
    await one(browser, server.base, 0); // warms the server (its caches, not the browser's)
    const rows = [];
    for (let i = 1; i <= runs; i++) {
      const r = await one(browser, server.base, i);
      rows.push(r);
      console.log(`run ${String(i).padStart(2)}: ${(r.transfer / 1024).toFixed(1)} KB transferred` +
        ` (${(r.encoded / 1024).toFixed(1)} KB bodies, ${(r.decoded / 1024).toFixed(1)} KB decoded, ${r.n} requests),` +
        ` usable at ${r.usable.toFixed(1)} ms (${r.how})`);
    }
    const kb = rows.map((r) => r.transfer / 1024), ms = rows.map((r) => r.usable);
    console.log(`relationship page, first load, ${runs} runs in new contexts (empty cache), loopback:`);
    console.log(`  transferred  median ${median(kb).toFixed(1)} KB, max ${Math.max(...kb).toFixed(1)} KB  (target < ${TARGET_KB} KB: ${Math.max(...kb) < TARGET_KB ? 'met' : 'NOT met'})`);
    console.log(`  usable       median ${median(ms).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms  (target < ${TARGET_MS} ms: ${Math.max(...ms) < TARGET_MS ? 'met' : 'NOT met'}; measured by ${rows[0].how === 'mark' ? 'the rapport:usable mark' : 'watching #main'})`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    await server.stop();
  }
}

main().catch((err) => { console.error(err && err.stack ? err.stack : err); process.exit(1); });

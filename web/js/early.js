/* early.js: the first reads of a page load, started while the other modules are still on
 * their way. index.html loads it as an async module before app.js; it imports nothing, so it
 * runs as soon as it has arrived. api.js imports it (the same module instance).
 *
 * CONTRACT (api.js and pages/relationship.js rely on this):
 *   query(q)           "?a=1&b=2" from an object, empty values dropped ('' when none): the one
 *                      way request URLs get their query, so that read-ahead answers match.
 *   readAhead(path, q) starts GET /api/v1{path}{query(q)} now unless it is already under way;
 *                      api.get of the same path and query takes the answer within EARLY_MS
 *                      (api.prefetch is this).
 *   takeEarly(url)     the fetch promise read ahead for url (once), or null.
 *   dropEarly()        forgets every answer read ahead (writes, sign-in, sign-out).
 *   overviewReads(id)  [[path, query], ...]: the reads the relationship overview makes.
 * On evaluation, except on the sign-in and invitation pages: GET /me, and on a
 * "#/relationships/{id}..." page GET /relationships/{id} (and the overview's reads on the
 * overview). Nothing confidential is in these URLs; nothing is stored outside memory.
 * Then, while the requests and the other modules are on their way, it makes one throwaway
 * Intl date formatter: the first one of a page loads ICU's data (tens of milliseconds), which
 * would otherwise be spent when the first date is drawn (ui.js makes its own on first use).
 */

const BASE = '/api/v1';
export const EARLY_MS = 5000;
const early = new Map(); /* url -> {at, res} */

export function query(q) {
  if (!q) return '';
  const parts = [];
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(String(v)));
  }
  return parts.length ? '?' + parts.join('&') : '';
}

export function readAhead(path, q) {
  const url = BASE + path + query(q);
  if (early.has(url)) return;
  const res = fetch(url, { method: 'GET', headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
  res.catch(() => {}); /* a failure is met again, and reported, by the api.get that takes it */
  early.set(url, { at: Date.now(), res });
}

export function takeEarly(url) {
  const x = early.get(url);
  if (!x) return null;
  early.delete(url);
  return Date.now() - x.at <= EARLY_MS ? x.res : null;
}

export function dropEarly() { early.clear(); }

export const RECENT = 8; /* timeline items on the overview */

export function overviewReads(id) {
  const base = `/relationships/${encodeURIComponent(id)}`;
  return [
    [base + '/timeline', { limit: RECENT }],
    [base + '/commitments', { state: 'open', limit: 100 }],
    [base + '/warnings'],
    [base + '/requests', { limit: 100 }],
    [base + '/checkins', { limit: 100 }],
    [base + '/pulse-schedule'],
  ];
}

function start() {
  const hash = location.hash;
  if (location.pathname === '/invitation' || location.pathname === '/sso/callback' || location.pathname === '/signin' ||
    hash.startsWith('#/invitation') || hash.startsWith('#/signin') || hash.startsWith('#/sso')) return;
  readAhead('/me');
  const m = /^#\/relationships\/(\d+)(\/[a-z-]*)?\/?(\?.*)?$/.exec(hash);
  if (!m) return;
  readAhead(`/relationships/${m[1]}`);
  if (!m[2]) for (const [path, q] of overviewReads(m[1])) readAhead(path, q);
}

function warmIntl() {
  try {
    new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' }).format(0);
  } catch (e) { /* only a head start */ }
}

start();
setTimeout(warmIntl, 0);

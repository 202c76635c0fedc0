/* api.js: the one way the client talks to the Rapport JSON API.
 *
 * CONTRACT (other modules rely on this; keep it stable):
 *   api.get(path, query?)        GET  /api/v1{path}; query is an object, empty values dropped
 *   api.post(path, body?)        POST JSON; api.put(path, body), api.del(path)
 *   api.page(path, after, limit) GET a paginated list: resolves to {items, next}
 *       path is relative to /api/v1 and starts with "/" ("/relationships/3/notes").
 *   api.all(path, query?, maxPages?) every item of a paginated list (an array): pages of 100
 *       (query {...query, after, limit: 100}) until next is null, at most maxPages of them.
 *   api.prefetch(path, query?)   starts a GET now (nothing is returned); the next api.get of the
 *       same path and query within 5 s takes its answer instead of asking again (once). Any
 *       write, sign-in or sign-out drops what was prefetched. Used on a first page load while
 *       the session is checked (early.js; router.js: a page module's prefetch(params, route)).
 *   Resolves to the parsed JSON body (null for 204). Rejects with ApiError:
 *     err.status (0 when the network failed), err.code (the problem's stable code),
 *     err.title, err.detail, err.errors ([{pointer, detail}] for 422, else []),
 *     err.problem (the whole problem document or null).
 *   Writes send the X-CSRF-Token of the session (setSession / the "csrf_token" of
 *   POST /session, POST /invitations/accept and GET /me). Cookies are same-origin.
 *   A 401 on any call except the sign-in calls runs the handler given to
 *   onUnauthorized (app.js shows the sign-in page) and sets err.handled = true before rejecting.
 *   session: {me, csrf, invitation (a token from an invitation link)} kept in memory only (never in storage: nothing confidential
 *   leaves memory). session.me is the GET /me answer once signed in.
 *   api.upload(path, text, query?) POST a CSV file (text/csv), as the roster import takes it.
 *   session.sso: {code, state, error} taken from the single sign-on callback's address by app.js.
 *   session.confirmedUntil: when the session's re-check (a password or a sign-in provider) ends,
 *       in ms (0: not known to be confirmed).
 *   session.signedOut: true once the sign-in provider sent the browser back after signing out.
 *   confirmPassword(password)    the password re-check; a wrong one rejects with an error
 *       at the /password field.
 *   sso.methods()                GET /me/sso: {password, sso_only, providers: [{id, name}]}.
 *   sso.confirm(id, back)        the re-check through provider id: the browser leaves for the
 *       provider and comes back to #/sso, then to the page `back` (a path, kept by the
 *       server with the re-check and handed back by the callback).
 *   signOut()                    ends the session; resolves to the provider's logout URL for the
 *       browser to follow when the session came through a provider that offers one, else null.
 *   myName(id, rel?) / partyLabel(...) live in ui.js, not here.
 */

import { query, readAhead, takeEarly, dropEarly } from './early.js';

const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem, fallback) {
    const p = problem && typeof problem === 'object' ? problem : null;
    super((p && (p.detail || p.title)) || fallback || 'The request failed.');
    this.name = 'ApiError';
    this.status = status;
    this.problem = p;
    this.code = (p && p.code) || (status === 0 ? 'network' : 'http_' + status);
    this.title = (p && p.title) || '';
    this.detail = this.message;
    this.errors = p && Array.isArray(p.errors) ? p.errors : [];
  }
}

export const session = { me: null, csrf: null, invitation: null, sso: null, confirmedUntil: 0, signedOut: false };

let unauthorized = null;
export function onUnauthorized(fn) { unauthorized = fn; }

export function setSession(me, csrf) {
  session.me = me;
  if (csrf !== undefined) session.csrf = csrf;
}

export function clearSession() {
  dropEarly();
  session.me = null;
  session.csrf = null;
  session.confirmedUntil = 0;
}

async function request(method, path, body, q, csv) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET') dropEarly(); /* what was read ahead may be changed by this */
  if (csv !== undefined) {
    headers['Content-Type'] = 'text/csv; charset=utf-8';
    init.body = csv;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  let res;
  try {
    const url = BASE + path + query(q);
    res = await ((method === 'GET' && takeEarly(url)) || fetch(url, init));
  } catch (e) {
    throw new ApiError(0, null, 'Rapport cannot be reached. Check your connection and try again.');
  }
  let data = null;
  const text = res.status === 204 ? '' : await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = null; }
  }
  if (res.ok) return data;
  const err = new ApiError(res.status, data, res.statusText);
  const signingIn = path === '/session' || path === '/invitations/accept' ||
    path === '/sso/callback' || path === '/sso/link';
  if (res.status === 401 && !signingIn) {
    clearSession();
    err.handled = true; /* the sign-in page is on its way: callers need not show it */
    if (unauthorized) unauthorized(err);
  }
  throw err;
}

async function all(path, q, maxPages = Infinity) {
  const out = [];
  let after;
  for (let i = 0; i < maxPages; i++) {
    const page = await request('GET', path, undefined, { ...q, after, limit: 100 });
    out.push(...(page.items || []));
    if (page.next === null || page.next === undefined) break;
    after = page.next;
  }
  return out;
}

export const api = {
  get: (path, q) => request('GET', path, undefined, q),
  post: (path, body) => request('POST', path, body === undefined ? {} : body),
  put: (path, body) => request('PUT', path, body),
  del: (path) => request('DELETE', path),
  page: (path, after, limit) => request('GET', path, undefined, { after, limit }),
  upload: (path, text, q) => request('POST', path, undefined, q, text),
  all,
  prefetch: readAhead,
};

/* Signs in; resolves to the GET /me answer and keeps the CSRF token. */
export async function signIn(email, password) {
  const s = await api.post('/session', { email, password });
  session.csrf = s.csrf_token;
  return loadMe();
}

/* Accepts an invitation (sets a password) and signs in. */
export async function acceptInvitation(token, password) {
  const s = await api.post('/invitations/accept', { token, password });
  session.csrf = s.csrf_token;
  return loadMe();
}


/* Single sign-on: the providers' buttons, the way out to one, and the way back
 * (the code and state the provider sent, kept by app.js). The callback signs in
 * (resolves to {signedIn: true}), asks for the account's password once
 * ({signedIn: false, linkToken, email}), or confirms the session of a re-check
 * ({rechecked: true, back: the page to return to}). */
export const sso = {
  providers: () => api.get('/sso/providers').then((r) => r.items),
  methods: () => api.get('/me/sso'),
  async begin(id) {
    const r = await api.post(`/sso/providers/${encodeURIComponent(id)}/begin`);
    location.assign(r.authorization_url);
  },
  async confirm(id, back) {
    const r = await api.post(`/sso/providers/${encodeURIComponent(id)}/confirm`,
      back ? { back } : {});
    location.assign(r.authorization_url);
  },
  async finish(code, state) {
    const r = await api.post('/sso/callback', { code, state });
    if (r.confirmed_until) {
      const back = r.back;
      await loadMe();
      session.confirmedUntil = Date.parse(r.confirmed_until);
      return { rechecked: true, back: back && back.startsWith('/') ? back : '/' };
    }
    if (r.link_required) return { signedIn: false, linkToken: r.link_token, email: r.email };
    session.csrf = r.csrf_token;
    await loadMe();
    return { signedIn: true };
  },
  async link(linkToken, password) {
    const r = await api.post('/sso/link', { link_token: linkToken, password });
    session.csrf = r.csrf_token;
    return loadMe();
  },
};

/* GET /me into session.me (and its csrf_token when the server gives one). */
export async function loadMe() {
  const me = await api.get('/me');
  session.me = me;
  if (me && me.csrf_token) session.csrf = me.csrf_token;
  return me;
}

/* The password re-check (POST /session/confirm) before an export or ending
 * other sessions; a wrong password is an error at the form's /password
 * field, so the form helper shows it beside that field. */
export async function confirmPassword(password) {
  try {
    const r = await api.post('/session/confirm', { password });
    session.confirmedUntil = Date.parse(r.confirmed_until);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'wrong_password') {
      throw new ApiError(err.status, { ...err.problem, errors: [{ pointer: '/password', detail: err.detail }] });
    }
    throw err;
  }
}

export async function signOut() {
  try {
    const r = await api.del('/session');
    return r && r.logout_url ? r.logout_url : null;
  } finally { clearSession(); }
}

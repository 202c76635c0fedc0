/* app.js: boots the client: the session check (GET /api/v1/me), the top navigation and the
 * router.
 *
 * CONTRACT (other modules rely on this; keep it stable):
 *   signedIn()      call after a sign-in or invitation succeeded (session.me is set): redraws
 *                   the navigation and goes back to the page that asked for a session (or "/").
 *   refreshNav()    redraws the navigation (e.g. after GET /me changed what the person sees).
 *   Pages needing a session get ctx.me; a 401 anywhere sends the person to "#/signin" and
 *   brings them back to where they were once signed in. The page that asked is remembered
 *   in memory only.
 */
import { session, loadMe, onUnauthorized, signOut } from './api.js';
import { routes, shells } from './routes.js';
import { start, navigate, currentPath, href } from './router.js';
import { h, replace, announce } from './ui.js';

let returnTo = null;

function navLinks() {
  const me = session.me;
  if (!me) return [];
  return routes.filter((r) => r.nav && (!r.navWhen || r.navWhen(me)));
}

export function refreshNav() {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  if (!nav || !who) return;
  const links = navLinks();
  replace(nav, links.length ? h('ul', null, links.map((r) => h('li', null,
    h('a', { href: href(r.path), 'data-path': r.path }, r.nav)))) : null);
  if (session.me) {
    replace(who,
      h('span', { class: 'who-name' }, session.me.person.name),
      h('button', { type: 'button', class: 'link-button', onclick: doSignOut }, 'Sign out'));
  } else {
    replace(who);
  }
  markCurrent();
}

function markCurrent() {
  const path = currentPath();
  for (const a of document.querySelectorAll('#nav a')) {
    const p = a.dataset.path;
    const on = p === '/' ? path === '/' || path.startsWith('/relationships') : path === p || path.startsWith(p + '/');
    if (on) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function doSignOut() {
  let logoutUrl = null;
  try { logoutUrl = await signOut(); } catch (e) { /* the session is gone either way */ }
  returnTo = null;
  refreshNav();
  /* Signed in through a provider: it signs the person out there too, then sends the
   * browser back to /signin. */
  if (logoutUrl) {
    announce('You are signed out of Rapport; signing out at your sign-in provider.');
    location.assign(logoutUrl);
    return;
  }
  announce('You are signed out.');
  navigate('/signin');
}

export function signedIn() {
  refreshNav();
  const to = returnTo && returnTo !== '/signin' && returnTo !== '/sso' && !returnTo.startsWith('/invitation') && !['/reset', '/forgot'].includes(returnTo) ? returnTo : '/';
  returnTo = null;
  navigate(to, { replace: true });
}

async function guard(route, path) {
  if (route.public) return session.me;
  if (session.me) return session.me;
  try {
    await loadMe();
    refreshNav();
    return session.me;
  } catch (err) {
    if (err.status === 401) return false; /* onUnauthorized went to the sign-in page */
    throw err;
  }
}

onUnauthorized(() => {
  const path = currentPath();
  if (path !== '/signin' && path !== '/sso' && !path.startsWith('/invitation') && path !== '/reset' && path !== '/forgot') returnTo = path;
  refreshNav();
  navigate('/signin', { replace: true });
});

function notFound(page, path) {
  replace(page,
    h('h1', null, 'Page not found'),
    h('p', null, 'There is no page at this address.'),
    h('p', null, h('a', { href: '#/' }, 'Go to my relationships')));
}

/* An invitation link is "/invitation#<token>" (or "#/invitation/<token>"), a password
 * reset link "/reset#<token>": the token is taken into memory and removed from the address
 * bar and the history at once. So is what a sign-in provider sends back to
 * "/sso/callback?code=...&state=...", and where it sends the browser once it signed the
 * person out ("/signin?state=..."). */
function takeInvitation() {
  let token = null;
  let page = '/invitation';
  const m = /^#\/invitation\/([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (m) token = m[1];
  else if ((location.pathname === '/invitation' || location.pathname === '/reset') &&
           /^#[A-Za-z0-9_-]+$/.test(location.hash)) {
    token = location.hash.slice(1);
    page = location.pathname;
  }
  if (token) {
    session.invitation = token;
    history.replaceState(null, '', '/#' + page);
  } else if (location.pathname === '/sso/callback') {
    /* Back from a sign-in provider: the code and state go into memory and out of the
     * address bar and the history at once, as an invitation's token does. */
    const q = new URLSearchParams(location.search);
    session.sso = { code: q.get('code'), state: q.get('state'), error: q.get('error_description') || q.get('error') };
    history.replaceState(null, '', '/#/sso');
  } else if (location.pathname === '/signin') {
    /* Back from signing out at a sign-in provider (its state is of no further use). */
    session.signedOut = true;
    history.replaceState(null, '', '/#/signin');
  } else if (location.pathname !== '/') {
    history.replaceState(null, '', '/' + location.hash);
  }
}

function boot() {
  takeInvitation();
  const skip = document.getElementById('skip');
  if (skip) {
    skip.addEventListener('click', (ev) => {
      ev.preventDefault();
      const main = document.getElementById('main');
      main.focus();
    });
  }
  window.addEventListener('hashchange', markCurrent);
  refreshNav();
  start({ routes, shells, outlet: document.getElementById('main'), guard, notFound });
}

boot();

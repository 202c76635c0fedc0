/* router.js: the hash router. URLs carry ids only ("#/relationships/3/notes"), never text.
 *
 * CONTRACT (other modules rely on this; keep it stable):
 *   Routes come from routes.js: {path, page, title, public?, shell?, tab?, nav?, navWhen?}.
 *     path   "/relationships/:id/notes" (":name" segments become ctx.params.name, strings)
 *     page   () => import('./pages/x.js'); the module exports
 *            `async function render(ctx)` which fills ctx.main and may return a cleanup function.
 *     shell  "relationship": the page is drawn inside the relationship page (header with the
 *            relationship's state and parties, and a tab list of every route with the same shell
 *            and a `tab` label, in routes.js order). ctx.rel is then the GET
 *            /relationships/{id} answer, and ctx.refreshRel() reloads it (and the header).
 *            ctx.shellReused is true when the shell was already drawn (a tab switch): ctx.rel
 *            may then be older than the page's last change.
 *   ctx = {params, query (URLSearchParams of the part after "?"), main (an element to fill),
 *          me (GET /me answer, null on public pages), rel, refreshRel, route,
 *          navigate(path), signal (AbortSignal aborted when the user leaves the page),
 *          setTitle(text)}
 *   navigate(path, {replace}) goes to "#" + path; href(path) gives "#" + path for links.
 *   After a page renders, focus moves to its first h1 (or the section's h2 inside a shell)
 *   and document.title becomes "<title> · Rapport".
 *   Hashes that do not start with "#/" (in-page anchors) are ignored.
 *   Each time a page has rendered, performance.mark('rapport:rendered') is set (for bench/).
 *   On the first page of a load (while the guard's session check is under way), a page or shell
 *   module that exports `prefetch(params, route)` has it called as soon as the module is
 *   loaded: it may start the page's first reads through api.prefetch (api.js), so that they
 *   run in parallel with GET /me instead of after it. It must not draw anything.
 */

let table = [];
let shells = {};
let outlet = null;
let guard = null;
let notFound = null;
let seq = 0;
let first = true;
let current = { cleanup: null, abort: null, shell: null };

export function href(path) { return '#' + path; }

export function navigate(path, opts = {}) {
  const target = '#' + path;
  if (opts.replace) {
    history.replaceState(null, '', target);
    route();
  } else if (location.hash === target) {
    route();
  } else {
    location.hash = target;
  }
}

export function currentPath() {
  const raw = location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
  return raw.split('?')[0];
}

function compile(path) {
  const names = [];
  const re = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([a-zA-Z_]+)/g, (_, n) => {
    names.push(n);
    return '([^/]+)';
  });
  return { re: new RegExp('^' + re + '/?$'), names };
}

function match(path) {
  for (const r of table) {
    const m = r._c.re.exec(path);
    if (m) {
      const params = {};
      r._c.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
      return { route: r, params };
    }
  }
  return null;
}

export function start(opts) {
  table = opts.routes.map((r) => ({ ...r, _c: compile(r.path) }));
  shells = opts.shells || {};
  outlet = opts.outlet;
  guard = opts.guard || null;
  notFound = opts.notFound || null;
  window.addEventListener('hashchange', () => {
    if (location.hash === '' || location.hash.startsWith('#/')) route();
  });
  return route();
}

export async function route() {
  const my = ++seq;
  const raw = location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
  const [path, qs] = raw.split('?');
  const query = new URLSearchParams(qs || '');
  const found = match(path);
  if (current.cleanup) { try { current.cleanup(); } catch (e) { /* a page's own business */ } }
  if (current.abort) current.abort.abort();
  current.cleanup = null;
  const abort = new AbortController();
  current.abort = abort;
  if (!found) {
    current.shell = null;
    const page = document.createElement('div');
    page.className = 'page';
    outlet.replaceChildren(page);
    if (notFound) notFound(page, path);
    focusHeading(page, 'h1');
    return;
  }
  const { route: r, params } = found;
  /* Fetch the page's modules while the session is checked. */
  const modP = r.page();
  const shellP = r.shell && shells[r.shell] ? shells[r.shell]() : null;
  modP.catch(() => {});
  if (shellP) shellP.catch(() => {});
  if (first && guard && !r.public) {
    const early = (m) => {
      if (my === seq && m && typeof m.prefetch === 'function') {
        try { m.prefetch(params, r); } catch (e) { /* only a head start: the page asks again */ }
      }
    };
    if (shellP) shellP.then(early, () => {});
    modP.then(early, () => {});
  }
  first = false;
  let me = null;
  if (guard) {
    me = await guard(r, path);
    if (my !== seq) return;
    if (me === false) return; /* the guard went elsewhere */
  }
  const ctx = {
    params, query, route: r, me, rel: null, refreshRel: async () => null,
    navigate, signal: abort.signal,
    setTitle: (t) => { document.title = t ? `${t} · Rapport` : 'Rapport'; },
    main: null,
  };
  ctx.setTitle(r.title || '');
  let inShell = false;
  try {
    if (shellP) {
      const key = r.shell + ':' + (params.id || '');
      if (!current.shell || current.shell.key !== key) {
        const page = document.createElement('div');
        page.className = 'page';
        outlet.replaceChildren(page);
        const shellMod = await shellP;
        if (my !== seq) return;
        const s = await shellMod.shell({ ...ctx, main: page }, table.filter((t) => t.shell === r.shell && t.tab));
        if (my !== seq) return;
        current.shell = s ? { ...s, key } : null;
        if (!s) return; /* the shell showed a problem (404 and so on) */
      } else {
        inShell = true;
      }
      ctx.main = current.shell.section(r);
      ctx.shellReused = inShell;
      ctx.rel = current.shell.rel();
      ctx.refreshRel = current.shell.refresh;
    } else {
      current.shell = null;
      const page = document.createElement('div');
      page.className = 'page';
      outlet.replaceChildren(page);
      ctx.main = page;
    }
    const mod = await modP;
    if (my !== seq) return;
    const cleanup = await mod.render(ctx);
    if (my !== seq) { if (typeof cleanup === 'function') cleanup(); return; }
    current.cleanup = typeof cleanup === 'function' ? cleanup : null;
    focusHeading(inShell ? ctx.main : outlet, inShell ? 'h2' : 'h1');
    if (performance.mark) performance.mark('rapport:rendered');
  } catch (err) {
    if (my !== seq) return;
    const box = document.createElement('div');
    box.className = 'alert';
    box.setAttribute('role', 'alert');
    box.textContent = (err && err.status === 404)
      ? 'There is nothing here, or it is not yours to see.'
      : 'This page could not be shown: ' + ((err && err.message) || String(err));
    (ctx.main || outlet).replaceChildren(box);
  }
}

function focusHeading(root, sel) {
  const hd = root.querySelector(sel) || root.querySelector('h1, h2');
  if (!hd) return;
  if (!hd.hasAttribute('tabindex')) hd.setAttribute('tabindex', '-1');
  hd.focus({ preventScroll: false });
}

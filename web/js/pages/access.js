/* access.js: who accessed my data. GET /me/access-log?after=&limit= ->
 * {items: [{seq, at, actor: {id, name}, sentence, what: [..], why, relationship_id}], next},
 * oldest first. Where the server has no access log yet (404), the page says so plainly.
 */
import { api, ApiError } from '../api.js';
import { h, replace, pager, time, errorBox, badge } from '../ui.js';

/* The sub-navigation of the "My data" pages (access.js, export.js, sessions.js). */
export function myDataNav(here) {
  const links = [['/me/access', 'Who accessed my data'], ['/me/export', 'Export my data'], ['/me/sessions', 'My sessions']];
  return h('nav', { class: 'subnav', 'aria-label': 'My data' }, h('ul', null, links.map(([p, t]) =>
    h('li', null, h('a', { href: '#' + p, 'aria-current': p === here ? 'page' : null }, t)))));
}

function entry(x) {
  return h('li', { class: 'row access' },
    h('div', { class: 'row-main' },
      /* The sentence names the actor already ("Amara Okafor, your mentor, read ..."). */
      h('p', null, x.actor && x.actor.name && !x.sentence.includes(x.actor.name)
        ? [h('strong', null, x.actor.name), ' — '] : null, x.sentence),
      (x.what && x.what.length) || x.why ? h('p', { class: 'muted small' },
        x.what && x.what.length ? ['What: ', x.what.join(', '), '. '] : null,
        x.why ? ['Why: ', x.why, '.'] : null) : null),
    h('div', { class: 'row-side' }, time(x.at),
      x.relationship_id ? [' ', h('a', { href: `#/relationships/${x.relationship_id}` }, 'Open the relationship')] : null));
}

export async function render(ctx) {
  const main = ctx.main;
  const title = [h('h1', null, 'My data'), myDataNav('/me/access'), h('h2', null, 'Who accessed my data')];
  main.setAttribute('aria-busy', 'true');
  try {
    /* Where the server has no access log yet the route is a 404: say so plainly. */
    await api.get('/me/access-log', { limit: 1 });
  } catch (err) {
    main.removeAttribute('aria-busy');
    if (err instanceof ApiError && err.status === 404) {
      replace(main, title,
        h('div', { class: 'alert', role: 'status' }, badge('Not available', 'warn'), ' This server does not keep an access log yet, so there is nothing to show. Ask your program administrator to upgrade Rapport.'));
    } else {
      replace(main, title, errorBox(err));
    }
    return;
  }
  const list = pager({
    load: (after) => api.get('/me/access-log', { after, limit: 25 }),
    item: entry, label: 'Accesses to your data', empty: 'Nobody has opened your confidential data yet, apart from you.',
  });
  replace(main, title,
    h('p', { class: 'lead' }, 'Every time someone opens something confidential about you (a note, feedback, your agreement, an export) it is written down here, with who, when and why. The record cannot be changed afterwards.'),
    list);
  await list.ready;
  main.removeAttribute('aria-busy');
}

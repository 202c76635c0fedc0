/* pages/home.js: "My relationships" (#/): what needs attention first, across every
 * relationship the person is a party to, then the relationships themselves (paginated). */
import { api, session } from '../api.js';
import { h, replace, loading, pager, section, time, empty } from '../ui.js';
import { needs, needItem, relTitle, stateBadge } from './relationship.js';
import { isAdmin } from '../routes.js';

const LIVE = ['proposed', 'active', 'paused'];

function programName(id) {
  const p = ((session.me && session.me.programs) || []).find((x) => x.id === id);
  return p ? p.name : `Program ${id}`;
}

/* Runs fn over items, at most `width` at a time. */
async function eachLimited(items, width, fn) {
  let i = 0;
  const workers = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (i < items.length) {
      const x = items[i++];
      await fn(x);
    }
  });
  await Promise.all(workers);
}

export async function render(ctx) {
  const me = ctx.me;
  /* GET /relationships/{id} once per relationship: it names the other party. */
  const details = new Map();
  const detail = (id) => {
    if (!details.has(id)) details.set(id, api.get(`/relationships/${id}`));
    return details.get(id);
  };
  const todo = h('ul', { class: 'items', 'aria-label': 'Needs attention' });
  const todoStatus = h('div', null, loading('Looking for what needs attention…'));
  const list = pager({
    load: (after) => api.page('/relationships', after, 20),
    item: (rel) => {
      const mineRole = rel.guide_id === me.person.id ? 'guide' : 'learner';
      const r = { ...rel, my_role: mineRole };
      const link = h('a', { href: `#/relationships/${rel.id}` }, relTitle(r));
      detail(rel.id).then((full) => { link.textContent = relTitle(full); }).catch(() => {});
      return h('li', null,
        h('div', { class: 'item-head' },
          h('h3', null, link),
          stateBadge(rel.state)),
        h('p', { class: 'item-meta' }, `${programName(rel.program_id)} · you are the ${mineRole} · since `,
          time(rel.state_since, false)));
    },
    empty: 'You have no relationships yet. When a program administrator matches you with someone, it appears here.',
    label: 'My relationships',
  });
  const none = !(me.relationships || []).length;
  const admin = isAdmin(me) ? h('p', { class: none ? 'notice' : 'muted' },
    none ? 'You administer programs rather than take part in relationships. ' : 'You also administer a program. ',
    h('a', { href: '#/programs' }, 'Go to my programs')) : null;
  replace(ctx.main,
    h('div', { class: 'page-head' }, h('h1', null, 'My relationships')),
    none ? admin : null,
    none ? null : section('Needs attention first', todoStatus, todo),
    section('All relationships', list),
    none ? null : admin);

  const live = (me.relationships || []).filter((r) => LIVE.includes(r.state));
  if (!live.length) {
    replace(todoStatus, empty('Nothing needs attention right now.'));
    return undefined;
  }
  const found = [];
  eachLimited(live, 4, async (summary) => {
    try {
      const rel = await detail(summary.id);
      const items = await needs(rel);
      for (const n of items) found.push({ n, rel });
    } catch (e) { /* one relationship that cannot be read does not hide the others */ }
  }).then(() => {
    if (ctx.signal.aborted) return;
    found.sort((a, b) => a.n.rank - b.n.rank);
    replace(todo, found.map(({ n, rel }) => needItem(n, relTitle(rel))));
    replace(todoStatus, found.length ? null : empty('Nothing needs attention right now.'));
  });
  return undefined;
}

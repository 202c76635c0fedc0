/* pages/circle_proposals.js: a program's circles for its administrators.
 *
 *   #/programs/:id/circles        the program's circles, forming one by hand, and asking the
 *                                 matcher for a draft (POST /programs/{id}/circle-proposals)
 *                                 with the earlier drafts
 *   #/circle-proposals/:id        a draft: each circle's members, score and why (the
 *                                 administrator's sentences: topics, the common window, a
 *                                 language; never anyone's attributes or blocks), the people
 *                                 left unplaced; drop a person, publish, discard
 *
 * Published circles are proposed circles that their members accept as any other. Metadata
 * only, like the other admin pages.
 */
import { programNav } from './admin.js';
import { stateBadge } from './relationship.js';
import { api } from '../api.js';
import { h, replace, form, field, section, button, announce, errorBox, badge, loading, empty, dl, time } from '../ui.js';

const POOLS = [['learners', 'The learners'], ['guides', 'The guides'], ['everyone', 'Everyone']];

async function programPage(ctx) {
  const id = Number(ctx.params.id);
  const [prog, circles, drafts] = await Promise.all([api.get(`/programs/${id}`),
    api.all(`/programs/${id}/circles`), api.get(`/programs/${id}/circle-proposals`, { limit: 100 })]);
  if (ctx.signal.aborted) return;
  ctx.setTitle(`Circles: ${prog.name}`);
  const ask = form({
    label: 'Ask the matcher for circles', submit: 'Propose circles',
    fields: [
      field({ name: 'size', label: 'Members in each circle (3 to 8)', type: 'number', min: 3, max: 8, value: 5, required: true }),
      field({ name: 'circles', label: 'How many circles', type: 'number', min: 1, max: 10000,
        hint: 'Leave empty for as many as the people allow.' }),
      field({ name: 'name', label: 'Name the circles', hint: 'They are numbered: Peer circle 1, Peer circle 2, ...' }),
      field({ name: 'pool', label: 'Form them from', type: 'select', required: true, options: POOLS, value: 'learners' }),
      field({ name: 'overlap_topics', label: 'Members share topics', type: 'checkbox', value: true }),
      field({ name: 'mix_attributes', label: 'Mix the attributes the program keeps (no one\u2019s values are shown)', type: 'checkbox' }),
      field({ name: 'facilitator', label: 'A guide facilitates each circle where one fits', type: 'checkbox' }),
      field({ name: 'include_active', label: 'Include people already in a circle', type: 'checkbox' }),
      field({ name: 'min_overlap_minutes', label: 'Least time all are free each week (minutes)', type: 'number', min: 0, max: 10080,
        hint: 'Not less than the program\u2019s own minimum; empty for that minimum.' }),
    ],
    onSubmit: async (v) => {
      const d = await api.post(`/programs/${id}/circle-proposals`, v);
      announce(`Draft ${d.id}: ${d.summary.circles} circles, ${d.summary.unplaced} people unplaced.`);
      ctx.navigate(`/circle-proposals/${d.id}`);
    },
  });
  const earlier = drafts.items.slice().reverse();
  replace(ctx.main, h('h1', null, `Circles in ${prog.name}`),
    programNav(id, `/programs/${id}/circles`),
    section('The program\u2019s circles',
      h('p', null, h('a', { href: `#/circles/new?program=${id}` }, 'Form a circle by hand')),
      circles.length ? h('ul', { class: 'items', 'aria-label': 'The program\u2019s circles' }, circles.map((c) =>
        h('li', { class: 'row' }, h('span', { class: 'row-main' }, h('a', { href: `#/circles/${c.id}` }, c.name)),
          h('span', { class: 'row-side' }, stateBadge(c.state)))))
        : empty('No circles yet.')),
    section('Proposed by the matcher', ask,
      earlier.length ? h('ul', { class: 'items', 'aria-label': 'Drafts' }, earlier.map((d) => h('li', { class: 'row' },
        h('span', { class: 'row-main' }, h('a', { href: `#/circle-proposals/${d.id}` }, `Draft ${d.id}: circles of ${d.size}`)),
        h('span', { class: 'row-side' }, badge(d.state), ' ', time(d.created_at)))))
        : empty('No drafts yet.')));
}

function summary(d) {
  const s = d.summary;
  return dl([['People considered', String(s.pool)], ['Circles', `${s.circles} of ${s.target} asked or possible`],
    ['Placed', String(s.placed)], ['Unplaced', String(s.unplaced)], ['Total score', String(s.total)],
    ['After the first pass (greedy)', String(s.seeded_total)],
    ['Search', `${s.passes} pass${s.passes === 1 ? '' : 'es'}, ${s.swaps} swap${s.swaps === 1 ? '' : 's'}, ${s.converged ? 'no swap improves it' : 'stopped before the end'}`],
    d.state === 'published' ? ['Published', `${s.created} circles proposed, ${s.skipped} skipped`] : null].filter(Boolean));
}

async function proposalPage(ctx) {
  const pid = Number(ctx.params.id);
  let d = await api.get(`/circle-proposals/${pid}`);
  if (ctx.signal.aborted) return;
  ctx.setTitle(`Circle draft ${pid}`);
  const draft = () => d.state === 'draft';
  async function act(path, body, said) {
    d = await api.post(`/circle-proposals/${pid}/${path}`, body || {});
    announce(typeof said === 'function' ? said(d) : said);
    draw();
  }
  function person(p, slot) {
    return h('li', { class: 'row' }, h('span', { class: 'row-main' }, p.name || 'A former member'),
      draft() ? h('span', { class: 'row-side' }, button('Drop', () => act('drop', { person_id: p.person_id },
        `${p.name} dropped from the draft.`), { label: `Drop ${p.name} from circle ${slot}` })) : null);
  }
  function circleItem(c) {
    return h('li', { class: 'card' },
      h('div', { class: 'item-head' }, h('h3', null, c.name), badge(`Score ${c.score}`, c.fits ? 'ok' : 'warn'),
        c.fits ? null : [' ', badge('does not fit now', 'bad')],
        c.circle_id ? [' ', h('a', { href: `#/circles/${c.circle_id}` }, 'Open the circle')] : null),
      h('p', { class: 'item-text' }, c.why),
      h('ul', { class: 'plain', 'aria-label': `Members of ${c.name}` }, c.members.map((m) => person(m, c.slot))),
      c.facilitator ? h('p', null, 'Facilitator: ', c.facilitator.name || 'A former member', ' ',
        draft() ? button('Drop', () => act('drop', { person_id: c.facilitator.person_id }, 'Facilitator dropped.'),
          { label: `Drop the facilitator of ${c.name}` }) : null) : null);
  }
  function draw() {
    replace(ctx.main, h('h1', null, `Circle draft ${pid}`),
      h('p', null, badge(d.state), ' drafted ', time(d.created_at), ' · ',
        h('a', { href: `#/programs/${d.program_id}/circles` }, 'The program\u2019s circles')),
      section('Summary', summary(d)),
      draft() ? h('div', { class: 'actions' },
        button('Publish as proposed circles', () => act('publish', {},
          (x) => `${x.summary.created} circles proposed; their members are asked to accept.`), { cls: 'primary' }), ' ',
        button('Discard the draft', () => act('discard', {}, 'Draft discarded.'))) : null,
      section('The circles', d.circles.length ? h('ul', { class: 'items' }, d.circles.map(circleItem)) : empty('No circles.')),
      section('Unplaced', d.unplaced.length ? h('ul', { class: 'plain', 'aria-label': 'Unplaced people' },
        d.unplaced.map((p) => h('li', null, p.name || 'A former member'))) : empty('Everyone has a circle.')));
  }
  draw();
}

export async function render(ctx) {
  ctx.main.setAttribute('aria-busy', 'true');
  replace(ctx.main, loading());
  try {
    if (ctx.route.path === '/programs/:id/circles') await programPage(ctx);
    else await proposalPage(ctx);
  } catch (err) {
    replace(ctx.main, h('h1', null, 'Circles'), errorBox(err));
  } finally {
    ctx.main.removeAttribute('aria-busy');
  }
  return undefined;
}

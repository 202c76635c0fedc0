/* practices.js: the practice library. GET /practices -> {items: [{id, slug, title, summary,
 * questions, warnings}], next: null}; GET /practices/{id}.
 *   #/practices       the library        #/practices/:id   one practice
 */
import { api } from '../api.js';
import { h, replace, loading, errorBox, section } from '../ui.js';
import { WARNING_WORDS } from './trust.js';

function body(p) {
  return [
    h('p', { class: 'lead' }, p.summary),
    p.questions && p.questions.length ? section('Questions to reflect on', h('ul', { class: 'questions' }, p.questions.map((q) => h('li', null, q)))) : null,
    p.warnings && p.warnings.length ? section('It helps when', h('ul', null, p.warnings.map((w) => h('li', null, WARNING_WORDS[w] || w)))) : null,
  ];
}

export async function render(ctx) {
  const main = ctx.main;
  main.setAttribute('aria-busy', 'true');
  replace(main, h('h1', null, 'Practices'), loading());
  try {
    if (ctx.params.id) {
      const p = await api.get(`/practices/${ctx.params.id}`);
      ctx.setTitle(p.title);
      replace(main, h('p', null, h('a', { href: '#/practices' }, 'All practices')), h('h1', null, p.title), body(p));
    } else {
      const list = await api.get('/practices');
      replace(main, h('h1', null, 'Practices'),
        h('p', { class: 'lead' }, 'What builds trust on purpose. Each warning Rapport shows points to one of these.'),
        h('ul', { class: 'items practices' }, list.items.map((p) => h('li', { class: 'card' },
          h('h2', null, h('a', { href: `#/practices/${p.id}` }, p.title)),
          h('p', null, p.summary)))));
    }
  } catch (err) {
    replace(main, h('h1', null, 'Practices'), errorBox(err));
  } finally {
    main.removeAttribute('aria-busy');
  }
}

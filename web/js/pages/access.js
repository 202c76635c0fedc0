/* access.js: who accessed my data. GET /me/access-log?after=&limit= ->
 * {items: [{seq, at, actor: {id, name}, sentence, what: [..], why, relationship_id}], next},
 * oldest first.
 */
import { api, confirmPassword } from '../api.js';
import { h, replace, pager, time, form, field, subnav } from '../ui.js';

/* The sub-navigation of the "My data" pages (access.js, export.js, sessions.js). */
export function myDataNav(here) {
  return subnav('My data', [['/me/access', 'Who accessed my data'], ['/me/export', 'Export my data'], ['/me/sessions', 'My sessions'], ['/me/mail', 'Mail and calendar']], here);
}

/* The password re-check form of the "My data" pages (export.js, sessions.js): submitting it
 * re-checks the password (a wrong one is shown at the field), clears it, then runs then(). */
export function passwordForm(submit, then) {
  return form({
    label: 'Confirm your password',
    fields: [field({ name: 'password', label: 'Your password', type: 'password', required: true, autocomplete: 'current-password' })],
    submit,
    onSubmit: async (v, formEl) => {
      await confirmPassword(v.password);
      formEl.reset();
      await then();
    },
  });
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

/* access.js: who accessed my data. GET /me/access-log?after=&limit= ->
 * {items: [{seq, at, actor: {id, name}, sentence, what: [..], why, relationship_id}], next},
 * oldest first.
 */
import { api, confirmPassword, session, sso, ApiError } from '../api.js';
import { h, replace, pager, time, form, field, subnav, button, badge, errorBox } from '../ui.js';
import { currentPath } from '../router.js';

/* The sub-navigation of the "My data" pages (access.js, export.js, sessions.js). */
export function myDataNav(here) {
  return subnav('My data', [['/me/access', 'Who accessed my data'], ['/me/export', 'Export my data'], ['/me/sessions', 'My sessions'], ['/me/mail', 'Mail and calendar']], here);
}

/* The re-check of the "My data" pages (export.js, sessions.js), an element drawn once GET
 * /me/sso told how the person signs in (el.ready resolves then): the password form (a wrong
 * one is shown at the field; submitting re-checks it, clears it, then runs then()) when the
 * account has a password and is not set to sso only, and "Confirm with <provider>" for each provider it is linked to,
 * which leaves for the provider and comes back to this page. While the session is confirmed
 * (a re-check in the last minutes), a button runs then() at once. */
export function passwordForm(submit, then) {
  const box = h('div', { class: 'recheck stack' });
  const draw = (m) => {
    const parts = [];
    if (session.confirmedUntil > Date.now()) {
      parts.push(h('p', null, badge('Confirmed', 'ok'), ' You confirmed it is you a moment ago.'),
        form({ label: submit, submit, onSubmit: async () => {
          try {
            await then();
          } catch (err) {
            if (!(err instanceof ApiError && err.code === 'password_check_needed')) throw err;
            session.confirmedUntil = 0;
            draw(m);
          }
        } }));
    } else {
      if (m.password && !m.sso_only) {
        parts.push(form({
          label: 'Confirm your password',
          fields: [field({ name: 'password', label: 'Your password', type: 'password', required: true, autocomplete: 'current-password' })],
          submit,
          onSubmit: async (v, formEl) => {
            await confirmPassword(v.password);
            formEl.reset();
            await then();
          },
        }));
      }
      if (m.providers.length) {
        const both = m.password && !m.sso_only;
        parts.push(h('p', null, both ? 'Or confirm it is you with your sign-in provider:' : 'Confirm it is you with your sign-in provider:'),
          h('ul', { class: 'plain stack' }, m.providers.map((p) => h('li', null,
            button(`Confirm with ${p.name}`, () => sso.confirm(p.id, currentPath()), { cls: both ? 'secondary' : 'primary' })))));
      }
    }
    replace(box, parts);
  };
  box.ready = sso.methods().then(draw, (err) => {
    if (!err.handled) replace(box, errorBox(err));
  });
  return box;
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

/* sessions.js: my sessions. GET /me/sessions -> {items: [{id, created_at, last_seen_at,
 * current}], next}; DELETE /me/sessions/{id} ends one; DELETE /me/sessions ends all the others.
 */
import { api } from '../api.js';
import { h, replace, pager, time, button, announce, badge, section } from '../ui.js';
import { myDataNav } from './access.js';

export async function render(ctx) {
  const main = ctx.main;
  main.setAttribute('aria-busy', 'true');
  let list;
  const item = (s) => h('li', { class: 'row' },
    h('span', { class: 'row-main' }, s.current ? [badge('This browser', 'ok'), ' '] : null,
      'Signed in ', time(s.created_at), h('span', { class: 'muted' }, '; last active ', time(s.last_seen_at))),
    h('span', { class: 'row-side' }, s.current ? null : button('Sign out this session', async () => {
      await api.del(`/me/sessions/${s.id}`);
      announce('That session is signed out.');
      await list.reload();
    }, { label: `Sign out this session (started ${new Date(s.created_at).toLocaleString()})` })));
  list = pager({ load: (after) => api.get('/me/sessions', { after, limit: 25 }), item, label: 'Sessions', empty: 'No sessions.' });
  replace(main,
    h('h1', null, 'My data'), myDataNav('/me/sessions'), h('h2', null, 'My sessions'),
    h('p', { class: 'lead' }, 'Where you are signed in. If you see a session you do not recognise, sign it out and change your password.'),
    section('Signed-in sessions', list,
      h('div', { class: 'actions' }, button('Sign out every other session', async () => {
        await api.del('/me/sessions');
        announce('Every other session is signed out.');
        await list.reload();
      }))));
  await list.ready;
  main.removeAttribute('aria-busy');
}

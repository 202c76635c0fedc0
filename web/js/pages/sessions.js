/* sessions.js: my sessions. GET /me/sessions -> {items: [{id, created_at, last_seen_at,
 * current}], next}; DELETE /me/sessions/{id} ends one; DELETE /me/sessions ends all the others.
 * Ending another session needs the password again (ASVS 7.5.2): the server answers 403
 * "password_check_needed", so the page asks for the password (POST /session/confirm
 * {password}; a wrong one is shown at the field), or offers the sign-in provider the account
 * is linked to (access.js passwordForm), then does what was asked.
 */
import { api, ApiError } from '../api.js';
import { h, replace, pager, time, button, announce, badge, section } from '../ui.js';
import { myDataNav, passwordForm } from './access.js';

export async function render(ctx) {
  const main = ctx.main;
  main.setAttribute('aria-busy', 'true');
  let list;
  const confirmBox = h('div', { class: 'confirm-password' });

  /* Runs end(); when the server wants the password first, asks for it in confirmBox,
   * re-checks it and runs end() again. */
  const ending = async (end, done) => {
    try {
      await end();
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'password_check_needed')) throw err;
      const f = passwordForm('Confirm and sign out', async () => {
        await end();
        replace(confirmBox);
        await done();
      });
      replace(confirmBox, h('p', null, 'To sign out another session, confirm it is you again.'), f);
      await f.ready;
      const input = f.querySelector('input[type=password], button');
      if (input) input.focus();
      return;
    }
    await done();
  };

  const item = (s) => h('li', { class: 'row' },
    h('span', { class: 'row-main' }, s.current ? [badge('This browser', 'ok'), ' '] : null,
      'Signed in ', time(s.created_at), h('span', { class: 'muted' }, '; last active ', time(s.last_seen_at))),
    h('span', { class: 'row-side' }, s.current ? null : button('Sign out this session',
      () => ending(() => api.del(`/me/sessions/${s.id}`), async () => {
        announce('That session is signed out.');
        await list.reload();
      }),
      { label: `Sign out this session (started ${new Date(s.created_at).toLocaleString()})` })));
  list = pager({ load: (after) => api.get('/me/sessions', { after, limit: 25 }), item, label: 'Sessions', empty: 'No sessions.' });
  replace(main,
    h('h1', null, 'My data'), myDataNav('/me/sessions'), h('h2', null, 'My sessions'),
    h('p', { class: 'lead' }, 'Where you are signed in. If you see a session you do not recognise, sign it out and change your password.'),
    section('Signed-in sessions', list,
      h('div', { class: 'actions' }, button('Sign out every other session',
        () => ending(() => api.del('/me/sessions'), async () => {
          announce('Every other session is signed out.');
          await list.reload();
        }))),
      confirmBox));
  await list.ready;
  main.removeAttribute('aria-busy');
}

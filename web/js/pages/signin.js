/* pages/signin.js: sign in (#/signin) and accept an invitation (#/invitation, the token
 * having been taken from the link into memory by app.js). */
import { session, signIn, acceptInvitation } from '../api.js';
import { h, replace, form, field, announce } from '../ui.js';
import { signedIn } from '../app.js';

export async function render(ctx) {
  if (ctx.route.path === '/invitation') return invitation(ctx);
  if (session.me) {
    replace(ctx.main,
      h('h1', null, 'You are signed in'),
      h('p', null, `Signed in as ${session.me.person.name}.`),
      h('p', null, h('a', { href: '#/' }, 'Go to my relationships')));
    return undefined;
  }
  replace(ctx.main,
    h('div', { class: 'narrow stack' },
      h('h1', null, 'Sign in to Rapport'),
      h('p', { class: 'muted' }, 'Your mentoring and coaching relationships, and what helps them.'),
      h('div', { class: 'panel' },
        form({
          label: 'Sign in',
          submit: 'Sign in',
          fields: [
            field({ name: 'email', label: 'Email', type: 'email', required: true, autocomplete: 'username' }),
            field({ name: 'password', label: 'Password', type: 'password', required: true, autocomplete: 'current-password' }),
          ],
          onSubmit: async (v) => {
            await signIn(v.email || '', v.password || '');
            announce(`Signed in as ${session.me.person.name}.`);
            signedIn();
          },
        }))));
  return undefined;
}

function invitation(ctx) {
  const token = session.invitation;
  if (!token) {
    replace(ctx.main,
      h('h1', null, 'Accept your invitation'),
      h('div', { class: 'notice' },
        h('p', null, 'Open the invitation link you were sent to set your password. Links can be used once.')),
      h('p', null, h('a', { href: '#/signin' }, 'Sign in instead')));
    return undefined;
  }
  replace(ctx.main,
    h('div', { class: 'narrow stack' },
      h('h1', null, 'Accept your invitation'),
      h('p', null, 'Choose a password to finish setting up your account. Use a long passphrase that you do not use anywhere else.'),
      h('div', { class: 'panel' },
        form({
          label: 'Accept your invitation',
          submit: 'Set password and sign in',
          fields: [
            field({ name: 'password', label: 'New password', type: 'password', required: true,
              autocomplete: 'new-password', hint: 'At least 8 characters; common passwords are refused.' }),
          ],
          onSubmit: async (v) => {
            await acceptInvitation(token, v.password || '');
            session.invitation = null;
            announce(`Welcome, ${session.me.person.name}.`);
            signedIn();
          },
        }))));
  return undefined;
}

/* pages/signin.js: sign in (#/signin) with a password or through a sign-in provider
 * ("Sign in with <provider>"), the way back from the provider (#/sso: the code and
 * state having been taken from the address into memory by app.js, and the password
 * once when the account already has one; or, after a re-check through the provider, back
 * to the page that asked for it), accept an invitation (#/invitation) or choose
 * a new password after a reset (#/reset), the token having been taken from the mailed
 * link into memory by app.js, and ask for a reset link (#/forgot). */
import { api, session, signIn, acceptInvitation, sso } from '../api.js';
import { h, replace, form, field, announce, button, errorBox } from '../ui.js';
import { signedIn, refreshNav } from '../app.js';
import { navigate } from '../router.js';

/* The "Sign in with <provider>" buttons, or nothing when none is configured. */
async function providerButtons() {
  let list = [];
  try { list = await sso.providers(); } catch (e) { return null; }
  if (!list.length) return null;
  return h('div', { class: 'panel stack' },
    h('h2', null, 'Single sign-on'),
    h('ul', { class: 'plain stack' }, list.map((p) => h('li', null,
      button(`Sign in with ${p.name}`, () => sso.begin(p.id), { cls: 'secondary' })))));
}

export async function render(ctx) {
  if (ctx.route.path === '/invitation') return invitation(ctx, false);
  if (ctx.route.path === '/reset') return invitation(ctx, true);
  if (ctx.route.path === '/forgot') return forgot(ctx);
  if (ctx.route.path === '/sso') return back(ctx);
  if (session.me) {
    replace(ctx.main,
      h('h1', null, 'You are signed in'),
      h('p', null, `Signed in as ${session.me.person.name}.`),
      h('p', null, h('a', { href: '#/' }, 'Go to my relationships')));
    return undefined;
  }
  const signedOut = session.signedOut;
  session.signedOut = false;
  replace(ctx.main,
    h('div', { class: 'narrow stack' },
      h('h1', null, 'Sign in to Rapport'),
      signedOut ? h('div', { class: 'notice', role: 'status' },
        h('p', null, 'You are signed out of Rapport and of your sign-in provider.')) : null,
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
        })),
      h('p', null, h('a', { href: '#/forgot' }, 'Forgot your password?')),
      await providerButtons()));
  return undefined;
}

/* Back from the provider: finish the sign-in, or ask for the password once. */
async function back(ctx) {
  const got = session.sso;
  session.sso = null;
  const again = h('p', null, h('a', { href: '#/signin' }, 'Back to sign in'));
  if (!got || got.error || !got.code) {
    replace(ctx.main, h('h1', null, 'Sign-in not finished'),
      h('div', { class: 'notice', role: 'alert' }, h('p', null,
        got && got.error ? `The sign-in provider said: ${got.error}` : 'There is no sign-in to finish here.')),
      again);
    return undefined;
  }
  let res;
  try {
    res = await sso.finish(got.code, got.state);
  } catch (err) {
    replace(ctx.main, h('h1', null, 'Sign-in refused'), errorBox(err), again);
    return undefined;
  }
  if (res.rechecked) {
    announce('Confirmed. You can go on with what you were doing.');
    refreshNav();
    navigate(res.back, { replace: true });
    return undefined;
  }
  if (res.signedIn) {
    announce(`Signed in as ${session.me.person.name}.`);
    signedIn();
    return undefined;
  }
  replace(ctx.main,
    h('div', { class: 'narrow stack' },
      h('h1', null, 'Link your account'),
      h('p', null, `An account already uses ${res.email}. Type its Rapport password once to link it to single sign-on; after that, the provider is enough.`),
      h('div', { class: 'panel' },
        form({
          label: 'Link your account',
          submit: 'Link and sign in',
          fields: [field({ name: 'password', label: 'Rapport password', type: 'password', required: true, autocomplete: 'current-password' })],
          onSubmit: async (v) => {
            await sso.link(res.linkToken, v.password || '');
            announce(`Linked. Signed in as ${session.me.person.name}.`);
            signedIn();
          },
        }))),
    again);
  return undefined;
}

function forgot(ctx) {
  const done = h('div', { class: 'notice', role: 'status', hidden: true });
  replace(ctx.main,
    h('div', { class: 'narrow stack' },
      h('h1', null, 'Forgot your password'),
      h('p', null, 'Give the e-mail address of your account. If it has one, we mail it a link to choose a new password; the link works once, for an hour.'),
      h('div', { class: 'panel' },
        form({
          label: 'Mail me a reset link',
          submit: 'Mail me a link',
          fields: [
            field({ name: 'email', label: 'Email', type: 'email', required: true, autocomplete: 'username' }),
          ],
          onSubmit: async (v) => {
            const r = await api.post('/password-reset', { email: v.email || '' });
            replace(done, h('p', null, r.status));
            done.hidden = false;
            announce(r.status);
          },
        })),
      done,
      h('p', null, h('a', { href: '#/signin' }, 'Back to sign in'))));
  return undefined;
}

function invitation(ctx, reset) {
  const token = session.invitation;
  const title = reset ? 'Choose a new password' : 'Accept your invitation';
  if (!token) {
    replace(ctx.main,
      h('h1', null, title),
      h('div', { class: 'notice' },
        h('p', null, `Open the link you were mailed to ${reset ? 'choose a new password' : 'set your password'}. Links can be used once.`)),
      h('p', null, h('a', { href: '#/signin' }, 'Sign in instead')));
    return undefined;
  }
  replace(ctx.main,
    h('div', { class: 'narrow stack' },
      h('h1', null, title),
      h('p', null, reset
        ? 'Choose a new password; your other sessions end. Use a long passphrase that you do not use anywhere else.'
        : 'Choose a password to finish setting up your account. Use a long passphrase that you do not use anywhere else.'),
      h('div', { class: 'panel' },
        form({
          label: title,
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

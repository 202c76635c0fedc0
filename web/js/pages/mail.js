/* pages/mail.js: mail, calendar and notifications.
 *   #/me/notifications  GET /me/notifications -> {items: [{id, kind, title, link, at, read}], next,
 *                       unread}; POST /me/notifications/{id}/read; POST /me/notifications/read.
 *   #/me/mail           GET/PUT /me/mail-preferences {time_zone, quiet_from, quiet_to, off, kinds, digest};
 *                       the calendar feed: GET/POST/DELETE /me/calendar-feed (the URL is shown once,
 *                       when it is made: the server keeps only its hash).
 * Nothing here is confidential: titles say what happened and link to it.
 */
import { api } from '../api.js';
import { h, replace, pager, time, button, announce, badge, section, form, field } from '../ui.js';
import { myDataNav } from './access.js';

const KIND_WORDS = {
  checkin_reminder: 'Check-in reminders and calendar invitations',
  commitment_due: 'Commitments due tomorrow',
  request_unanswered: 'Requests waiting for my reply',
  warning_raised: 'Early warnings in my relationships',
  pulse_due: 'A pulse is due',
  long_term_due: 'A long-term check-in is due',
};

export async function render(ctx) {
  if (ctx.route.path === '/me/notifications') return notifications(ctx);
  return preferences(ctx);
}

async function notifications(ctx) {
  const main = ctx.main;
  main.setAttribute('aria-busy', 'true');
  const count = h('p', { class: 'lead', role: 'status' });
  let list;
  const showCount = (n) => replace(count, n ? `${n} unread.` : 'Nothing unread.');
  const item = (n) => h('li', { class: 'row' },
    h('span', { class: 'row-main' }, n.read ? null : [badge('New', 'warn'), ' '],
      h('a', { href: n.link }, n.title), ' ', h('span', { class: 'muted' }, time(n.at))),
    h('span', { class: 'row-side' }, n.read ? null : button('Mark as read', async () => {
      await api.post(`/me/notifications/${n.id}/read`, {});
      announce('Marked as read.');
      await list.reload();
    }, { label: `Mark as read: ${n.title}` })));
  list = pager({
    load: async (after) => {
      const page = await api.get('/me/notifications', { after, limit: 25 });
      showCount(page.unread);
      return page;
    },
    item, label: 'Notifications', empty: 'No notifications yet.',
  });
  replace(main,
    h('h1', null, 'Notifications'), count,
    section('What happened', list,
      h('div', { class: 'actions' }, button('Mark all as read', async () => {
        const r = await api.post('/me/notifications/read', {});
        announce(`${r.marked} marked as read.`);
        await list.reload();
      }))));
  await list.ready;
  main.removeAttribute('aria-busy');
}

async function preferences(ctx) {
  const main = ctx.main;
  main.setAttribute('aria-busy', 'true');
  const prefs = await api.get('/me/mail-preferences');
  const feed = await api.get('/me/calendar-feed');
  const off = new Set(prefs.off);
  const prefForm = form({
    label: 'Mail preferences',
    submit: 'Save preferences',
    fields: [
      field({ name: 'time_zone', label: 'Time zone', value: prefs.time_zone, required: true,
        hint: 'As in Europe/Paris or America/New_York. Quiet hours and your calendar use it.' }),
      field({ name: 'quiet_from', label: 'Quiet hours from', type: 'time', value: prefs.quiet_from || undefined }),
      field({ name: 'quiet_to', label: 'Quiet hours until', type: 'time', value: prefs.quiet_to || undefined,
        hint: 'Mail written in these hours waits until they end. Leave both empty for none.' }),
      ...prefs.kinds.map((k) => field({ name: `want_${k}`, label: KIND_WORDS[k] || k, type: 'checkbox', value: !off.has(k) })),
      field({ name: 'digest', label: 'One weekly digest instead of a mail for each', type: 'checkbox', value: !!prefs.digest,
        hint: 'On Monday morning in your time zone, one mail lists what happened that week.' }),
    ],
    onSubmit: async (v) => {
      const body = { time_zone: v.time_zone || '', off: prefs.kinds.filter((k) => !v[`want_${k}`]), digest: !!v.digest };
      if (v.quiet_from) body.quiet_from = v.quiet_from;
      if (v.quiet_to) body.quiet_to = v.quiet_to;
      await api.put('/me/mail-preferences', body);
      announce('Your mail preferences are saved.');
    },
  });
  const feedBox = h('div', { class: 'stack' });
  const showFeed = (state, url) => {
    const parts = [h('p', null, state.active
      ? ['Your calendar feed is on since ', time(state.created_at), '.']
      : 'You have no calendar feed.')];
    if (url) {
      parts.push(h('p', null, 'Add this address to your calendar application. It is shown only now: keep it like a password.'),
        h('p', null, h('code', { class: 'feed-url' }, url)));
    }
    parts.push(h('div', { class: 'actions' },
      button(state.active ? 'Make a new address (the old one stops)' : 'Make a calendar address', async () => {
        const made = await api.post('/me/calendar-feed', {});
        announce('A new calendar address is made.');
        showFeed(made, made.url);
      }),
      state.active ? button('Turn the feed off', async () => {
        await api.del('/me/calendar-feed');
        announce('The calendar feed is off.');
        showFeed({ active: false }, null);
      }) : null));
    replace(feedBox, ...parts);
  };
  showFeed(feed, null);
  replace(main,
    h('h1', null, 'My data'), myDataNav('/me/mail'), h('h2', null, 'Mail and calendar'),
    h('p', { class: 'lead' }, 'Rapport mails you about check-ins, commitments, requests and warnings. A mail says what happened and links here; it never carries what anyone wrote.'),
    section('Mail preferences', prefForm),
    section('Calendar feed', h('p', { class: 'muted' }, 'Your check-ins and commitments due, in your calendar application.'), feedBox));
  main.removeAttribute('aria-busy');
}

/* pages/requests.js: the requests tab. Ask the other party for something; reply to what
 * they asked of you; see how long replies took against the agreed reply window. */
import { api, session } from '../api.js';
import { h, replace, form, field, announce, subsection, pager, time, badge, disclosure } from '../ui.js';
import { partyName, otherId, canAct, canRecord, isParty } from './relationship.js';

function latencyText(hours) {
  if (hours === null || hours === undefined) return '';
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} minutes`;
  if (hours < 48) return `${Math.round(hours * 10) / 10} hours`;
  return `${Math.round(hours / 24)} days`;
}

export async function render(ctx) {
  const rel = ctx.rel;
  const me = session.me.person.id;
  const other = partyName(rel, otherId(rel));
  let windowHours = null;
  try {
    const ag = await api.get(`/relationships/${rel.id}/agreement`);
    if (ag.in_force) windowHours = ag.in_force.reply_window_hours;
  } catch (e) { /* the window is a hint only */ }
  if (ctx.signal.aborted) return undefined;

  function item(q0) {
    const li = h('li');
    function draw(q) {
      const waiting = !q.replied_at;
      const mineToAnswer = waiting && q.responder_id === me;
      const late = q.latency_hours !== null && windowHours !== null && q.latency_hours > windowHours;
      li.className = mineToAnswer ? 'attention' : '';
      replace(li,
        h('div', { class: 'item-head' },
          h('h4', null, `${partyName(rel, q.requester_id, { capital: true })} asked `, time(q.created_at)),
          waiting ? badge(mineToAnswer ? 'Waiting for your reply' : `Waiting for ${partyName(rel, q.responder_id)}`, 'warn')
            : badge(late ? `Replied in ${latencyText(q.latency_hours)} (later than agreed)` : `Replied in ${latencyText(q.latency_hours)}`, late ? 'warn' : 'ok')),
        h('p', { class: 'item-text' }, q.text),
        q.replied_at ? h('div', { class: 'reply' },
          h('p', { class: 'item-meta' }, `${partyName(rel, q.responder_id, { capital: true })} replied `, time(q.replied_at)),
          h('p', { class: 'item-text' }, q.reply)) : null,
        mineToAnswer && canRecord(rel) ? disclosure('Reply', form({
          label: `Reply to: ${q.text.length > 60 ? q.text.slice(0, 60) + '…' : q.text}`,
          submit: 'Send reply',
          fields: [
            field({ name: 'text', label: 'Your reply', type: 'textarea', required: true, rows: 3 }),
            field({ name: 'at', label: 'When did you reply?', type: 'datetime', hint: 'Leave empty for now; give a time if you replied elsewhere earlier.' }),
          ],
          onSubmit: async (v) => {
            const out = await api.post(`/requests/${q.id}/reply`, v);
            announce('Reply sent.');
            draw(out);
            const hd = li.querySelector('h4');
            hd.setAttribute('tabindex', '-1');
            hd.focus();
          },
        })) : null);
    }
    draw(q0);
    return li;
  }

  const list = pager({
    all: true, /* newest first */
    path: `/relationships/${rel.id}/requests`,
    item,
    empty: 'No requests yet.',
    label: 'Requests',
  });
  const add = isParty(rel) && canAct(rel) ? subsection(`Ask ${other} for something`, form({
    label: `Ask ${other} for something`,
    submit: 'Send request',
    reset: true,
    fields: [field({ name: 'text', label: 'Your request', type: 'textarea', required: true, rows: 3,
      hint: windowHours ? `You agreed to reply within ${windowHours} hours.` : 'Replies are expected within the reply window you agreed.' })],
    onSubmit: async (v) => {
      await api.post(`/relationships/${rel.id}/requests`, v);
      announce('Request sent.');
      await list.reload();
    },
  })) : null;
  replace(ctx.main, h('h2', null, 'Requests and replies'), add, subsection('Requests between you', list));
  return undefined;
}

/* pages/checkins.js: the check-ins tab. Schedule a check-in; list them (paginated) with
 * their outcomes; record an outcome (held, rescheduled, cancelled, no-show, mutual cancel),
 * who caused it, and when, after the fact if need be. */
import { api, session } from '../api.js';
import { h, replace, form, field, announce, subsection, pager, time, badge, fmtDateTime } from '../ui.js';
import { partyName, otherId, canAct, canRecord } from './relationship.js';

const OUTCOMES = [
  ['held', 'We met'],
  ['rescheduled', 'Moved to another time'],
  ['cancelled', 'Cancelled'],
  ['no_show', 'Someone did not come'],
  ['mutual_cancel', 'We both agreed to cancel'],
];

const CLASS_TEXT = {
  held: ['Held', 'ok'], held_late: ['Held late', 'warn'],
  rescheduled_with_notice: ['Rescheduled with notice', 'info'], rescheduled_late: ['Rescheduled late', 'warn'],
  cancelled_with_notice: ['Cancelled with notice', 'info'], cancelled_late: ['Cancelled late', 'bad'],
  no_show: ['No-show', 'bad'], mutual_cancel: ['Cancelled together', 'muted'],
};

function hours(x) {
  if (x === null || x === undefined) return null;
  const a = Math.abs(x);
  const t = a >= 48 ? `${Math.round(a / 24)} days` : `${Math.round(a * 10) / 10} hours`;
  return x < 0 ? `${t} after the time` : t;
}

function outcomeForm(ctx, ck, onDone) {
  const rel = ctx.rel;
  const me = session.me.person.id;
  const causeField = field({ name: 'caused_by', label: 'Who caused it?', type: 'radio', numeric: true,
    options: [[me, 'I did'], [otherId(rel), partyName(rel, otherId(rel), { capital: true })]],
    hint: 'Needed for everything except a meeting held on time and a cancellation you both agreed.' });
  const newTime = field({ name: 'new_scheduled_at', label: 'New time', type: 'datetime' });
  newTime.hidden = true;
  const f = form({
    label: `Record the outcome of the check-in of ${fmtDateTime(ck.scheduled_at)}`,
    submit: 'Record outcome',
    fields: [
      field({ name: 'outcome', label: 'What happened?', type: 'radio', required: true, options: OUTCOMES }),
      causeField,
      newTime,
      field({ name: 'at', label: 'When did it happen (or when was notice given)?', type: 'datetime',
        hint: 'Leave empty for now. Notice of 24 hours or more counts as "with notice".' }),
    ],
    onSubmit: async (v) => {
      const out = await api.post(`/checkins/${ck.id}/outcome`, v);
      const [text] = CLASS_TEXT[out.class] || [out.outcome];
      announce(`Recorded: ${text}.`);
      await onDone(out);
    },
  });
  f.addEventListener('change', (ev) => {
    if (ev.target.name === 'outcome') {
      newTime.hidden = ev.target.value !== 'rescheduled';
      const mutual = ev.target.value === 'mutual_cancel';
      causeField.hidden = mutual;
    }
  });
  return f;
}

function checkinItem(ctx, ck) {
  const rel = ctx.rel;
  const li = h('li');
  function draw(c) {
    const cls = c.class ? CLASS_TEXT[c.class] || [c.class, 'muted'] : null;
    const past = new Date(c.scheduled_at).getTime() <= Date.now();
    const details = [];
    if (c.caused_by) details.push(`caused by ${partyName(rel, c.caused_by)}`);
    if (c.notice_hours !== null && c.notice_hours !== undefined) details.push(`notice: ${hours(c.notice_hours)}`);
    if (c.late_hours) details.push(`late by ${hours(c.late_hours)}`);
    replace(li,
      h('div', { class: 'item-head' },
        h('h4', null, 'Check-in ', time(c.scheduled_at)),
        cls ? badge(cls[0], cls[1]) : badge(past ? 'Outcome not recorded' : 'Upcoming', past ? 'warn' : 'info')),
      c.outcome ? h('p', { class: 'item-meta' }, 'Recorded ', time(c.outcome_at), details.length ? ' · ' + details.join(' · ') : '') : null,
      c.rescheduled_to ? h('p', { class: 'item-meta' }, 'Moved to a new check-in (listed above).') : null,
      !c.outcome && canRecord(rel)
        ? h('details', { class: 'disclosure' }, h('summary', null, 'Record the outcome'),
          h('div', { class: 'disclosure-body' }, outcomeForm(ctx, c, async (out) => {
            draw(out);
            if (out.rescheduled_to) ctx.reloadList();
            const hd = li.querySelector('h4');
            hd.setAttribute('tabindex', '-1');
            hd.focus();
          })))
        : null);
    li.className = !c.outcome && past ? 'attention' : '';
  }
  draw(ck);
  return li;
}

export async function render(ctx) {
  const rel = ctx.rel;
  const list = pager({
    all: true,
    sort: (a, b) => new Date(b.scheduled_at) - new Date(a.scheduled_at) || b.id - a.id, /* latest first */
    path: `/relationships/${rel.id}/checkins`,
    item: (ck) => checkinItem(ctx, ck),
    empty: 'No check-ins yet.',
    label: 'Check-ins',
  });
  ctx.reloadList = () => list.reload();
  const schedule = canAct(rel) ? subsection('Schedule a check-in', form({
    label: 'Schedule a check-in',
    submit: 'Schedule',
    reset: true,
    fields: [field({ name: 'scheduled_at', label: 'Check-in date and time', type: 'datetime', required: true,
      hint: 'In your time zone. You can also record a check-in that already happened, then its outcome.' })],
    onSubmit: async (v) => {
      const ck = await api.post(`/relationships/${rel.id}/checkins`, v);
      announce('Check-in scheduled.');
      await list.reload();
      return ck;
    },
  })) : h('p', { class: 'notice' }, 'New check-ins can be scheduled while the relationship is active.');
  replace(ctx.main, h('h2', null, 'Check-ins'), schedule, subsection('All check-ins', list));
  return undefined;
}


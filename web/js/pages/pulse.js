/* pages/pulse.js: the pulse tab. When the next pulse is due (GET pulse-schedule), the seven
 * questions about the other party on a five-point scale (or "no chance to tell") plus an
 * overall 0..10 (POST pulses), and the caller's own earlier pulses. What one answers about the
 * other counts for them only after they answer too, or after a week (double-blind). */
import { api } from '../api.js';
import { h, replace, form, field, announce, subsection, pager, time, badge, errorBox, loading } from '../ui.js';
import { partyName, otherId, canRecord } from './relationship.js';

const ITEMS = [
  ['REL1', 'did what they said they would, when they said'],
  ['REL2', 'replied within the time we agreed when I needed a reply'],
  ['INT1', 'was straight with me, even when it was uncomfortable'],
  ['INT2', 'kept what I shared between us, unless we agreed otherwise (I am confident of it)'],
  ['COM1', 'gave input that helped me move forward on our goals'],
  ['EMP1', 'tried to understand my situation before advising'],
  ['EMP2', 'let me raise a concern or disagree without feeling judged'],
];

const SCALE = [['1', '1 Almost never'], ['2', '2 Rarely'], ['3', '3 Sometimes'], ['4', '4 Often'], ['5', '5 Almost always'], ['', 'No chance to tell']];

const REASON = { cadence: 'it is time for your regular pulse', checkins: 'you have held three check-ins since the last one' };

function scheduleText(s) {
  if (s.due) return h('p', { class: 'notice' }, 'Your pulse is due', s.reason && REASON[s.reason] ? `: ${REASON[s.reason]}` : '', '.');
  if (s.due_at) return h('p', null, 'Your next pulse is due ', time(s.due_at), '. You can answer at any time.');
  return h('p', { class: 'muted' }, 'Pulses start once the relationship is active. You can answer at any time.');
}

export async function render(ctx) {
  const rel = ctx.rel;
  const other = partyName(rel, otherId(rel));
  const schedBox = h('div', null, loading());
  const mine = pager({
    all: true, /* newest first */
    step: 5,
    path: `/relationships/${rel.id}/pulses`,
    item: (p) => {
      const revealed = p.revealed_at && new Date(p.revealed_at).getTime() <= Date.now();
      return h('li', null,
        h('div', { class: 'item-head' }, h('h4', null, 'Answered ', time(p.answered_at)), badge(`Overall ${p.overall}/10`, 'info')),
        h('p', { class: 'item-meta' }, revealed ? ['Counts for ', other, ' since ', time(p.revealed_at, false)]
          : [`Counts for ${other} once they answer too, or by `, time(p.revealed_at, false)]),
        h('ul', { class: 'small plain' }, ITEMS.map(([k, text]) => h('li', null, `${text}: `,
          p.answers && p.answers[k] ? h('strong', null, String(p.answers[k])) : h('span', { class: 'muted' }, 'no chance to tell')))));
    },
    empty: 'You have not answered a pulse yet.',
    label: 'My pulses',
  });
  const answerable = canRecord(rel);
  const pulseForm = answerable ? form({
    label: `Pulse about ${other}`,
    submit: 'Send my pulse',
    reset: true,
    fields: [
      h('p', null, `Think of the time since your last pulse. How often did ${other}…`),
      ITEMS.map(([k, text]) => field({ name: `q-${k}`, pointer: `/answers/${k}`, label: `…${text}?`, type: 'radio', numeric: true, options: SCALE, required: false, cls: 'scale' })),
      field({ name: 'overall', label: `Overall, how much do you trust ${other} in this relationship?`, type: 'select', numeric: true, required: true,
        options: Array.from({ length: 11 }, (_, i) => [String(i), i === 0 ? '0 Not at all' : i === 10 ? '10 Completely' : String(i)]),
        placeholder: 'Choose 0 to 10' }),
    ],
    onSubmit: async (v) => {
      if (!v.answers) v.answers = {};
      await api.post(`/relationships/${rel.id}/pulses`, v);
      announce(`Pulse sent. It counts for ${other} once they answer too, or after a week.`);
      await Promise.all([loadSchedule(), mine.reload()]);
    },
  }) : h('p', { class: 'muted' }, 'Pulses are answered while the relationship is active, paused or completed.');

  async function loadSchedule() {
    try {
      const s = await api.get(`/relationships/${rel.id}/pulse-schedule`);
      replace(schedBox, scheduleText(s), s.last_answered_at ? h('p', { class: 'item-meta' }, 'You last answered ', time(s.last_answered_at)) : null);
    } catch (err) {
      replace(schedBox, errorBox(err));
    }
  }
  replace(ctx.main,
    h('h2', null, 'Pulse'),
    schedBox,
    subsection(`How is it going with ${other}?`,
      h('p', { class: 'muted small' }, `Your answers are about ${other}. They see how they come out in their trust profile, never your single answers, and only after they answer too or a week has passed.`),
      pulseForm),
    subsection('My earlier pulses', mine));
  loadSchedule();
  return undefined;
}


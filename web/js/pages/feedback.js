/* pages/feedback.js: the feedback tab. Give feedback (recognition or constructive, about the
 * task or the person), ask for feedback, and read what was given both ways. */
import { api } from '../api.js';
import { h, replace, form, field, announce, subsection, pager, time, badge, disclosure } from '../ui.js';
import { partyName, otherId, canAct, isParty } from './relationship.js';

const KIND = { recognition: ['Recognition', 'ok'], constructive: ['Constructive', 'info'], ask: ['Asked for feedback', 'warn'] };
const FOCUS = { task: 'about the work', person: 'about the person' };

export async function render(ctx) {
  const rel = ctx.rel;
  const other = partyName(rel, otherId(rel));
  const list = pager({
    all: true, /* newest first */
    path: `/relationships/${rel.id}/feedback`,
    item: (f) => {
      const k = KIND[f.kind] || [f.kind, 'muted'];
      const head = f.kind === 'ask'
        ? `${partyName(rel, f.giver_id, { capital: true })} asked ${partyName(rel, f.receiver_id)} for feedback`
        : `${partyName(rel, f.giver_id, { capital: true })} to ${partyName(rel, f.receiver_id)}${f.focus ? ', ' + FOCUS[f.focus] : ''}`;
      return h('li', null,
        h('div', { class: 'item-head' }, h('h4', null, head), badge(k[0], k[1])),
        h('p', { class: 'item-meta' }, time(f.at)),
        f.text ? h('p', { class: 'item-text' }, f.text) : null);
    },
    empty: 'No feedback yet. Balanced, two-way feedback is one of the practices that builds trust.',
    label: 'Feedback',
  });
  const parts = [h('h2', null, 'Feedback')];
  if (isParty(rel) && canAct(rel)) {
    parts.push(subsection(`Give feedback to ${other}`, form({
      label: `Give feedback to ${other}`,
      submit: 'Give feedback',
      reset: true,
      fields: [
        field({ name: 'kind', label: 'Kind', type: 'radio', required: true, options: [
          ['recognition', 'Recognition: something that went well'],
          ['constructive', 'Constructive: something that could go better'],
        ] }),
        field({ name: 'focus', label: 'About', type: 'radio', required: true, options: [
          ['task', 'The work: what was done and how'], ['person', 'The person: how they are'],
        ], hint: 'Feedback about the work is usually easier to act on than feedback about the person.' }),
        field({ name: 'text', label: 'Your feedback', type: 'textarea', required: true, rows: 4,
          hint: 'What happened, what effect it had, and what you would like more or less of.' }),
      ],
      onSubmit: async (v) => {
        await api.post(`/relationships/${rel.id}/feedback`, v);
        announce('Feedback given.');
        await list.reload();
      },
    })));
    parts.push(disclosure(`Ask ${other} for feedback`, form({
      label: `Ask ${other} for feedback`,
      submit: 'Ask for feedback',
      reset: true,
      fields: [
        h('input', { type: 'hidden', name: 'kind', value: 'ask', 'data-pointer': '/kind', 'data-kind': 'text' }),
        field({ name: 'text', label: 'What would you like feedback on?', type: 'textarea', rows: 3 }),
      ],
      onSubmit: async (v) => {
        await api.post(`/relationships/${rel.id}/feedback`, v);
        announce(`You asked ${other} for feedback.`);
        await list.reload();
      },
    })));
  }
  parts.push(subsection('Feedback between you', list));
  replace(ctx.main, ...parts);
  return undefined;
}

/* pages/commitments.js: the commitments tab. Make a commitment (who, what, by when); open
 * ones first with overdue ones marked; record an outcome (kept, renegotiated with a new due
 * time, broken, dropped); closed ones below. */
import { api, session } from '../api.js';
import { h, replace, form, field, announce, subsection, pager, time, badge, disclosure } from '../ui.js';
import { partyName, otherId, canAct, canRecord } from './relationship.js';

const STATE_TEXT = {
  open: ['Open', 'info'], kept: ['Kept', 'ok'], kept_late: ['Kept late', 'warn'],
  broken: ['Broken', 'bad'], dropped: ['Dropped', 'muted'],
};

function outcomeForm(c, onDone) {
  const newDue = field({ name: 'new_due_at', label: 'New due time', type: 'datetime',
    hint: 'Renegotiate before the due time passes.' });
  newDue.hidden = true;
  const f = form({
    label: `Record the outcome of: ${c.text.length > 60 ? c.text.slice(0, 60) + '…' : c.text}`,
    submit: 'Record outcome',
    fields: [
      field({ name: 'outcome', label: 'Outcome', type: 'radio', required: true, options: [
        ['kept', 'Kept'], ['renegotiated', 'Renegotiate: agree a new due time'], ['broken', 'Broken'], ['dropped', 'Dropped by agreement'],
      ] }),
      newDue,
      field({ name: 'at', label: 'When', type: 'datetime', hint: 'Leave empty for now.' }),
    ],
    onSubmit: async (v) => {
      const out = await api.post(`/commitments/${c.id}/outcome`, v);
      announce(v.outcome === 'renegotiated' ? 'New due time agreed.' : `Recorded: ${(STATE_TEXT[out.state] || [out.state])[0]}.`);
      await onDone(out);
    },
  });
  f.addEventListener('change', (ev) => {
    if (ev.target.name === 'outcome') newDue.hidden = ev.target.value !== 'renegotiated';
  });
  return f;
}

function item(ctx, c0, lists) {
  const rel = ctx.rel;
  const li = h('li');
  function draw(c) {
    const overdue = c.state === 'open' && new Date(c.due_at).getTime() < Date.now();
    const st = STATE_TEXT[c.state] || [c.state, 'muted'];
    li.className = overdue ? 'overdue' : '';
    const revs = (c.revisions || []).map((r) => h('li', null, 'Renegotiated by ', partyName(rel, r.by), ' ', time(r.at, false),
      ': from ', time(r.old_due_at), ' to ', time(r.new_due_at)));
    replace(li,
      h('div', { class: 'item-head' },
        h('h4', null, `${partyName(rel, c.owner_id, { capital: true })} will…`),
        h('span', { class: 'cluster' }, overdue ? badge('Overdue', 'bad') : null, badge(st[0], st[1]))),
      h('p', { class: 'item-text' }, c.text),
      h('p', { class: 'item-meta' }, 'Due ', time(c.due_at),
        c.closed_at ? [' · closed ', time(c.closed_at, false)] : null,
        c.broken_automatically ? ' · broken automatically a day after it was due' : null),
      revs.length ? h('ul', { class: 'small muted' }, revs) : null,
      c.state === 'open' && canRecord(rel)
        ? disclosure('Record the outcome', outcomeForm(c, async (out) => {
          if (out.state === 'open') {
            draw(out);
          } else {
            await Promise.all([lists.open.reload(), lists.closed.reload()]);
          }
          const target = li.isConnected ? li.querySelector('h4') : ctx.main.querySelector('h2');
          target.setAttribute('tabindex', '-1');
          target.focus();
        }))
        : null);
  }
  draw(c0);
  return li;
}

export async function render(ctx) {
  const rel = ctx.rel;
  const me = session.me.person.id;
  const lists = {};
  lists.open = pager({
    all: true,
    sort: (a, b) => new Date(a.due_at) - new Date(b.due_at), /* soonest due first */
    moreText: 'Show more',
    path: `/relationships/${rel.id}/commitments`, query: { state: 'open' },
    item: (c) => item(ctx, c, lists),
    empty: 'No open commitments.',
    label: 'Open commitments',
  });
  lists.closed = pager({
    all: true,
    sort: (a, b) => new Date(b.closed_at) - new Date(a.closed_at), /* latest closed first */
    path: `/relationships/${rel.id}/commitments`, query: { state: 'closed' },
    item: (c) => item(ctx, c, lists),
    empty: 'No closed commitments yet.',
    label: 'Closed commitments',
  });
  const add = canAct(rel) ? subsection('Make a commitment', form({
    label: 'Make a commitment',
    submit: 'Add commitment',
    reset: true,
    fields: [
      field({ name: 'owner_id', label: 'Who commits?', type: 'radio', required: true, numeric: true, value: me,
        options: [[me, 'I do'], [otherId(rel), partyName(rel, otherId(rel), { capital: true })]] }),
      field({ name: 'text', label: 'What exactly?', type: 'textarea', required: true, rows: 2,
        hint: 'Small and concrete is easier to keep. Only the two of you can read it.' }),
      field({ name: 'due_at', label: 'By when?', type: 'datetime', required: true }),
    ],
    onSubmit: async (v) => {
      await api.post(`/relationships/${rel.id}/commitments`, v);
      announce('Commitment added.');
      await lists.open.reload();
    },
  })) : null;
  replace(ctx.main, h('h2', null, 'Commitments'), add,
    subsection('Open', lists.open),
    subsection('Closed', lists.closed));
  return undefined;
}

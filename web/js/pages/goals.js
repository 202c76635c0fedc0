/* pages/goals.js: the goals tab. SMART goals with the API's hints (what is still missing),
 * Goal Attainment Scaling levels -2..+2, weight, milestones (add, mark reached), status
 * (achieved, dropped, active again), and goal reviews (a level per active goal; T score). */
import { api } from '../api.js';
import { h, replace, form, field, announce, subsection, pager, time, badge, fmtDay, disclosure, button, errorBox, dl } from '../ui.js';
import { partyName, canAct, canRecord, isParty } from './relationship.js';

const LEVELS = [
  ['2', '+2', 'Much more than expected'],
  ['1', '+1', 'More than expected'],
  ['0', '0', 'The expected outcome'],
  ['-1', '−1', 'Less than expected'],
  ['-2', '−2', 'Much less than expected'],
];

const HINT_TEXT = {
  specific: 'what exactly (specific)', measurable: 'how you will know (measurable)',
  achievable: 'why it is within reach (achievable)', relevant: 'why it matters (relevant)',
  due_on: 'a due date', 'level -2': 'level −2', 'level -1': 'level −1', 'level 0': 'level 0',
  'level 1': 'level +1', 'level 2': 'level +2',
};

const STATUS = { active: ['Active', 'info'], achieved: ['Achieved', 'ok'], dropped: ['Dropped', 'muted'] };

function levelWord(x) { return x > 0 ? `+${x}` : x < 0 ? `−${-x}` : '0'; }

function goalForm(ctx, onDone) {
  const rel = ctx.rel;
  return form({
    label: 'Set a goal',
    submit: 'Add goal',
    reset: true,
    fields: [
      field({ name: 'title', label: 'Goal', required: true, hint: 'A few words you will both recognise.' }),
      h('fieldset', { class: 'group' }, h('legend', null, 'Make it SMART'),
        field({ name: 'specific', label: 'Specific: what exactly will change?', type: 'textarea', rows: 2 }),
        field({ name: 'measurable', label: 'Measurable: how will you know?', type: 'textarea', rows: 2 }),
        field({ name: 'achievable', label: 'Achievable: why is it within reach?', type: 'textarea', rows: 2 }),
        field({ name: 'relevant', label: 'Relevant: why does it matter now?', type: 'textarea', rows: 2 }),
        field({ name: 'due_on', label: 'Time-bound: due on', type: 'date' })),
      h('fieldset', { class: 'group' }, h('legend', null, 'What would each level look like?'),
        h('p', { class: 'hint' }, 'Goal Attainment Scaling: describe the expected outcome (0) and what a little or a lot more or less would look like. At each review you pick the level you reached.'),
        LEVELS.map(([k, label, meaning]) => field({ name: `level${k}`, pointer: `/levels/${k}`, label: `${label}: ${meaning}`, type: 'textarea', rows: 2 }))),
      field({ name: 'weight', label: 'Importance weight', type: 'number', step: 0.5, min: 0.5, max: 100, value: 1,
        hint: 'How much this goal counts in reviews, compared with your other goals (more than 0, at most 100).' }),
    ],
    onSubmit: async (v) => {
      const g = await api.post(`/relationships/${rel.id}/goals`, v);
      announce(g.hints && g.hints.length ? 'Goal added. Some SMART parts are still missing.' : 'Goal added.');
      await onDone(g);
    },
  });
}

function milestones(ctx, g, redraw) {
  const rel = ctx.rel;
  const msg = h('div');
  const items = (g.milestones || []).map((m) => h('li', null,
    m.reached_at ? badge('Reached', 'ok') : badge('Not yet', 'muted'), ' ', m.title, ' ',
    m.reached_at ? h('span', { class: 'muted small' }, time(m.reached_at, false)) : null,
    !m.reached_at && g.status === 'active' && canRecord(rel)
      ? button('Mark reached', async () => {
        try {
          await api.post(`/milestones/${m.id}/reached`, {});
          announce(`Milestone reached: ${m.title}. Well done.`);
          await redraw();
        } catch (err) { replace(msg, errorBox(err)); }
      }, { cls: 'link-button', label: `Mark "${m.title}" reached` })
      : null));
  return h('div', { class: 'stack' },
    h('h5', null, 'Milestones'),
    items.length ? h('ul', { class: 'plain' }, items) : h('p', { class: 'state empty' }, 'No milestones yet.'),
    msg,
    isParty(rel) && g.status === 'active' && canAct(rel) ? disclosure('Add a milestone', form({
      label: `Add a milestone to ${g.title}`,
      submit: 'Add milestone',
      cls: 'inline-form',
      reset: true,
      fields: [field({ name: 'title', label: 'New milestone', required: true })],
      onSubmit: async (v) => {
        await api.post(`/goals/${g.id}/milestones`, v);
        announce('Milestone added.');
        await redraw();
      },
    })) : null);
}

function goalItem(ctx, g0) {
  const rel = ctx.rel;
  const li = h('li');
  async function redraw() {
    const g = await api.get(`/goals/${g0.id}`);
    draw(g);
  }
  function draw(g) {
    const st = STATUS[g.status] || [g.status, 'muted'];
    const msg = h('div');
    const statusButtons = canRecord(rel) ? (g.status === 'active'
      ? [['achieved', 'Mark achieved'], ['dropped', 'Drop this goal']]
      : [['active', 'Make active again']]).map(([to, label]) => button(label, async () => {
      try {
        await api.post(`/goals/${g.id}/status`, { status: to });
        announce(to === 'achieved' ? `Goal achieved: ${g.title}. Congratulations!` : `Goal ${to === 'dropped' ? 'dropped' : 'active again'}.`);
        await redraw();
        li.querySelector('h4').focus();
      } catch (err) { replace(msg, errorBox(err)); }
    }, { cls: to === 'achieved' ? 'primary' : null })) : [];
    replace(li,
      h('div', { class: 'item-head' }, h('h4', { tabindex: '-1' }, g.title), badge(st[0], st[1])),
      h('p', { class: 'item-meta' }, `Set by ${partyName(rel, g.created_by)} `, time(g.created_at, false),
        g.due_on ? ` · due ${fmtDay(g.due_on)}` : '', ` · weight ${g.weight}`,
        g.latest_level !== null && g.latest_level !== undefined ? ` · latest review: level ${levelWord(g.latest_level)}` : ''),
      g.hints && g.hints.length && g.status === 'active'
        ? h('p', { class: 'notice small' }, 'To make it SMART, add ', g.hints.map((x) => HINT_TEXT[x] || x).join(', '), '.') : null,
      disclosure('Details and levels',
        dl([['Specific', g.specific], ['Measurable', g.measurable], ['Achievable', g.achievable], ['Relevant', g.relevant]]),
        h('h5', null, 'Levels'),
        h('ul', { class: 'plain' }, LEVELS.map(([k, label]) => {
          const text = g.levels ? g.levels[k] : null;
          const now = g.latest_level !== null && String(g.latest_level) === k;
          return h('li', { class: now ? 'current' : null }, h('strong', null, label + ': '), text || h('span', { class: 'muted' }, 'not described'),
            now ? h('span', null, ' ', badge('Latest review', 'info')) : null);
        }))),
      milestones(ctx, g, redraw),
      msg,
      statusButtons.length ? h('div', { class: 'actions' }, statusButtons) : null);
  }
  draw(g0);
  return li;
}

async function reviewForm(ctx, onDone) {
  const rel = ctx.rel;
  const active = (await api.all(`/relationships/${rel.id}/goals`)).filter((g) => g.status === 'active');
  if (!active.length) return h('p', { class: 'state empty' }, 'Reviews need at least one active goal.');
  return form({
    label: 'Review your goals',
    submit: 'Save review',
    fields: [
      h('p', null, 'Where are you now on each active goal? Pick the level you have reached.'),
      active.map((g) => field({ name: `review-${g.id}`, pointer: `/levels/${g.id}`, label: g.title, type: 'radio', numeric: true, required: true,
        options: LEVELS.map(([k, label, meaning]) => [k, `${label}: ${(g.levels && g.levels[k]) || meaning}`]) })),
      field({ name: 'at', label: 'When was this review?', type: 'datetime', hint: 'Leave empty for now.' }),
    ],
    onSubmit: async (v) => {
      if (!v.levels) v.levels = {};
      const rv = await api.post(`/relationships/${rel.id}/goal-reviews`, v);
      announce(`Review saved. Goal attainment T score: ${Math.round(rv.t_score)}.`);
      await onDone(rv);
    },
  });
}

export async function render(ctx) {
  const rel = ctx.rel;
  const goals = pager({
    load: (after) => api.page(`/relationships/${rel.id}/goals`, after, 20),
    item: (g) => goalItem(ctx, g),
    empty: 'No goals yet. A goal you set together, SMART and with levels, is the easiest to review.',
    label: 'Goals',
  });
  const reviews = pager({
    all: true, /* newest first */
    step: 10,
    path: `/relationships/${rel.id}/goal-reviews`,
    item: (rv) => h('li', null,
      h('div', { class: 'item-head' }, h('h4', null, 'Review ', time(rv.at, false)),
        badge(`T score ${Math.round(rv.t_score)}`, rv.t_score >= 50 ? 'ok' : 'warn')),
      h('p', { class: 'item-meta' }, `By ${partyName(rel, rv.reviewer_id)} · `,
        Object.entries(rv.levels || {}).map(([id, x]) => `goal ${id}: ${levelWord(x)}`).join(', '))),
    empty: 'No reviews yet.',
    label: 'Goal reviews',
  });
  const reviewHolder = h('div');
  const startReview = canRecord(rel) ? button('Review our goals', async () => {
    if (reviewHolder.firstChild) { replace(reviewHolder); return; }
    replace(reviewHolder, await reviewForm(ctx, async () => {
      replace(reviewHolder);
      await Promise.all([goals.reload(), reviews.reload()]);
    }));
    const first = reviewHolder.querySelector('input');
    if (first) first.focus();
  }) : null;
  const addHolder = canAct(rel) && isParty(rel)
    ? disclosure('Set a new goal', goalForm(ctx, async () => { await goals.reload(); })) : null;
  replace(ctx.main,
    h('h2', null, 'Goals'),
    addHolder,
    subsection('Our goals', goals),
    subsection('Reviews', h('p', { class: 'muted' }, 'A review records the level reached on every active goal; the T score (50 = as expected) sums them up, weighted.'),
      startReview, reviewHolder, reviews));
  return undefined;
}

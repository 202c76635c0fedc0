/* pages/relationship.js: the relationship page. Two things:
 *
 *   shell(ctx, tabs)  draws the header (program, state, parties, my role) and the tab list of
 *                     every route with shell 'relationship' (routes.js), and gives the router
 *                     {section(route), rel(), refresh()}. Other pages render into section().
 *   render(ctx)       the "Overview" tab: what needs doing next, state changes (accept,
 *                     decline, pause, resume, complete, end), figures, and the recent timeline.
 *                     Once its data is drawn (needs, figures, the first page of the timeline)
 *                     performance.mark('rapport:usable') is set, once per load (bench/web_load.mjs).
 *   prefetch(params, route)  on a first load (router.js), starts GET /relationships/{id} and,
 *                     for the overview, the reads render() makes, while GET /me is on its way.
 *
 * Helpers for the section pages (import them from './relationship.js'):
 *   partyName(rel, id, {capital}) "you", "your guide" / "your learner" (or their names when the
 *                     API gives them), for any person id of the relationship.
 *   readersText(rel, ids)  who can read something: "Only you", "You and your guide".
 *   otherId(rel)      the other party's id.  isParty(rel)  whether I am guide or learner.
 *   stateBadge(state) a badge for a relationship state.
 *   canAct(rel)       whether new activity may be recorded (the state is active).
 *   canRecord(rel)    whether outcomes and pulses may be recorded (active, paused, completed).
 */
import { api, session } from '../api.js';
import { h, replace, loading, errorBox, badge, time, form, field, button, announce, subsection, pager, dl, warmDates } from '../ui.js';
import { href } from '../router.js';
import { overviewReads, RECENT } from '../early.js';

const STATE_TEXT = {
  proposed: ['Proposed', 'info'], active: ['Active', 'ok'], paused: ['Paused', 'warn'],
  completed: ['Completed', 'muted'], alumni: ['Alumni', 'muted'], declined: ['Declined', 'muted'],
  ended: ['Ended', 'bad'],
};

export function stateBadge(state) {
  const [text, kind] = STATE_TEXT[state] || [state, 'muted'];
  return badge(text, kind);
}

function meId() { return session.me ? session.me.person.id : 0; }

export function isParty(rel) { return rel && (rel.my_role === 'guide' || rel.my_role === 'learner'); }
export function otherId(rel) { return rel.my_role === 'guide' ? rel.learner_id : rel.guide_id; }
export function canAct(rel) { return rel && rel.state === 'active'; }
/* Outcomes (of check-ins, commitments, goals, requests) and pulses may still be recorded. */
export function canRecord(rel) { return isParty(rel) && ['active', 'paused', 'completed'].includes(rel.state); }

function named(rel, role) {
  const p = rel && rel[role];
  return p && typeof p === 'object' && p.name ? p.name : null;
}

export function partyName(rel, id, opts = {}) {
  let s;
  if (id === meId()) s = 'you';
  else if (rel && id === rel.guide_id) s = named(rel, 'guide') || (rel.my_role ? 'your guide' : 'the guide');
  else if (rel && id === rel.learner_id) s = named(rel, 'learner') || (rel.my_role ? 'your learner' : 'the learner');
  else s = 'someone else';
  return opts.capital ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

export function readersText(rel, ids) {
  const others = (ids || []).filter((x) => x !== meId());
  if (!others.length) return 'Only you';
  return 'You and ' + others.map((x) => partyName(rel, x)).join(' and ');
}

function programOf(rel) {
  const programs = (session.me && session.me.programs) || [];
  return programs.find((p) => p.id === rel.program_id) || null;
}

export function relTitle(rel) {
  if (!isParty(rel)) return `Relationship ${rel.id}`;
  const other = otherId(rel);
  const name = partyName(rel, other);
  return rel.my_role === 'guide' ? `Guiding ${name}` : `Learning with ${name}`;
}

/* ---- reading ahead ---- */

/* The same requests (path and query) as shell(), needs() and render() make (early.js lists the
 * overview's), so that api.get takes the answers; for a relationship that is not active or
 * paused, or an administrator, some are not used (they expire unread). early.js has usually
 * started them already: these calls then do nothing. */
export function prefetch(params, route) {
  api.prefetch(`/relationships/${encodeURIComponent(params.id)}`);
  if (route && route.path === '/relationships/:id')
    for (const [path, q] of overviewReads(params.id)) api.prefetch(path, q);
  /* The date formatters' first use costs tens of milliseconds: spend them while waiting. */
  setTimeout(warmDates, 0);
}

function markUsable(signal) {
  if (!performance.mark || performance.getEntriesByName('rapport:usable').length) return;
  requestAnimationFrame(() => {
    if (!signal.aborted && !performance.getEntriesByName('rapport:usable').length) performance.mark('rapport:usable');
  });
}

/* ---- the shell ---- */

export async function shell(ctx, tabs) {
  const id = ctx.params.id;
  replace(ctx.main, loading('Loading the relationship…'));
  let rel;
  try {
    rel = await api.get(`/relationships/${encodeURIComponent(id)}`);
  } catch (err) {
    if (err.handled) return null;
    replace(ctx.main,
      h('h1', null, err.status === 404 ? 'Relationship not found' : 'The relationship could not be loaded'),
      err.status === 404 ? h('p', null, 'There is no such relationship, or it is not yours to see.') : errorBox(err),
      h('p', null, h('a', { href: '#/' }, 'Back to my relationships')));
    return null;
  }
  const head = h('div', { class: 'rel-head' });
  /* Content is the parties' alone: an administrator gets the overview (metadata) only. */
  if (!isParty(rel)) tabs = tabs.filter((t) => t.path === '/relationships/:id');
  const links = tabs.map((t) => ({ route: t, a: h('a', { href: href(t.path.replace(':id', id)) }, t.tab) }));
  const nav = h('nav', { class: 'tabs', 'aria-label': 'Relationship sections' },
    h('ul', null, links.map((l) => h('li', null, l.a))));
  const body = h('div', { class: 'section' });

  function drawHead() {
    const prog = programOf(rel);
    replace(head,
      h('p', { class: 'eyebrow' }, prog ? `${prog.name} · ${prog.kind}` : `Program ${rel.program_id}`),
      h('h1', null, relTitle(rel)),
      h('p', { class: 'row' }, stateBadge(rel.state),
        h('span', { class: 'muted small' }, 'since ', time(rel.state_since, false)),
        isParty(rel) ? h('span', { class: 'muted small' }, `You are the ${rel.my_role}.`) : null),
      isParty(rel) && STATE_NOTE[rel.state] ? h('p', { class: 'notice small' }, STATE_NOTE[rel.state]) : null);
  }
  drawHead();
  replace(ctx.main, head, nav, body);

  return {
    rel: () => rel,
    refresh: async () => {
      rel = await api.get(`/relationships/${encodeURIComponent(id)}`);
      drawHead();
      return rel;
    },
    section: (route) => {
      for (const l of links) {
        if (l.route === route) l.a.setAttribute('aria-current', 'page');
        else l.a.removeAttribute('aria-current');
      }
      const inner = h('div', { class: 'stack' });
      if (!links.some((l) => l.route === route)) {
        /* A party's tab, asked for by someone else: say so, and let the page draw unseen. */
        replace(body, h('div', { class: 'stack' }, h('h2', null, route.tab || route.title),
          h('p', { class: 'notice' }, 'Only the guide and the learner of a relationship can see this. Administrators see its state, dates and counts on the overview.')));
        return inner;
      }
      replace(body, inner);
      return inner;
    },
  };
}

/* ---- the overview ---- */

const ACTIONS = {
  proposed: [['active', 'Accept'], ['declined', 'Decline']],
  active: [['paused', 'Pause'], ['completed', 'Mark as completed'], ['ended', 'End…']],
  paused: [['active', 'Resume'], ['ended', 'End…']],
  completed: [['alumni', 'Move to alumni'], ['ended', 'End…']],
};

/* What a state means for recording things, shown under the header. */
const STATE_NOTE = {
  proposed: 'Proposed: once you have both accepted, you can record check-ins, commitments, goals and the rest. You can already write the agreement and notes.',
  paused: 'Paused: new check-ins, commitments, goals, requests and feedback wait until you resume. Outcomes and notes can still be recorded.',
  completed: 'Completed: the history stays here for both of you. New activity is closed; outcomes of what is still open can be recorded.',
  alumni: 'Alumni: the history stays here for both of you; new activity is closed.',
  declined: 'Declined: this relationship did not start.',
  ended: 'Ended: the history stays here; nothing new can be recorded.',
};

const DONE_TEXT = {
  active: 'The relationship is active.', declined: 'You declined the relationship.',
  paused: 'The relationship is paused.', completed: 'The relationship is completed.',
  alumni: 'The relationship moved to alumni.', ended: 'The relationship has ended.',
};

function transitionBlock(ctx) {
  const wrap = h('div', { class: 'stack' });

  function draw() {
    const r = ctx.rel;
    const mine = r.my_role === 'guide' ? r.accepted.guide : r.my_role === 'learner' ? r.accepted.learner : false;
    const list = (ACTIONS[ctx.rel.state] || [])
      .filter(([to]) => !(ctx.rel.state === 'proposed' && to === 'active' && mine))
      .filter(([to]) => isParty(r) || to === 'ended' || to === 'alumni'); /* what an admin may do */
    const parts = [];
    if (ctx.rel.state === 'proposed') {
      const other = ctx.rel.my_role === 'guide' ? ctx.rel.accepted.learner : ctx.rel.accepted.guide;
      parts.push(h('p', null, mine
        ? `You accepted. Waiting for ${partyName(ctx.rel, otherId(ctx.rel))} to accept.`
        : other ? `${partyName(ctx.rel, otherId(ctx.rel), { capital: true })} accepted. Accept to start.`
          : 'This match was proposed. Each of you accepts before it starts.'));
    }
    if (!list.length) {
      parts.push(h('p', { class: 'muted' }, 'No changes of state are possible now.'));
      replace(wrap, ...parts);
      return;
    }
    const endForm = form({
      label: 'End the relationship',
      submit: 'End the relationship',
      fields: [field({ name: 'reason', label: 'Why is it ending?', type: 'textarea', required: true, rows: 3,
        hint: 'Both of you can read this reason; administrators cannot.' })],
      onSubmit: async (v) => { await move('ended', v.reason); },
    });
    endForm.hidden = true;
    const buttons = list.map(([to, label]) => (to === 'ended'
      ? button(label, () => { endForm.hidden = !endForm.hidden; if (!endForm.hidden) endForm.querySelector('textarea').focus(); }, { cls: 'danger' })
      : button(label, () => move(to), { cls: to === 'active' ? 'primary' : null })));
    const problem = h('div');
    parts.push(h('div', { class: 'actions' }, buttons), problem, endForm);
    replace(wrap, ...parts);

    async function move(to, reason) {
      replace(problem);
      try {
        const body = { to };
        if (reason) body.reason = reason;
        await api.post(`/relationships/${ctx.rel.id}/transition`, body);
      } catch (err) {
        if (to === 'ended') throw err; /* the form shows it beside the reason */
        replace(problem, errorBox(err));
        return;
      }
      ctx.rel = await ctx.refreshRel();
      announce(to === 'active' && ctx.rel.state === 'proposed' ? 'You accepted. Waiting for the other person.' : DONE_TEXT[to] || 'Done.');
      draw();
      const first = wrap.querySelector('button');
      if (first) first.focus();
    }
  }
  draw();
  return wrap;
}

/* What needs the caller's attention in a relationship, most urgent first: [{rank, text, href,
 * link, kind}]. rel is a GET /relationships/{id} answer (with `agreement` and `my_role`). */
export async function needs(rel) {
  const out = [];
  const jobs = [];
  if (!isParty(rel)) return out;
  const base = `#/relationships/${rel.id}`;
  const mine = rel.my_role === 'guide' ? rel.accepted.guide : rel.accepted.learner;
  if (rel.state === 'proposed' && !mine)
    out.push({ rank: 0, kind: 'attention', text: 'A new relationship waits for you to accept or decline it.', href: base, link: 'Accept or decline' });
  const ag = rel.agreement || { latest_version: 0, in_force_version: 0 };
  if (ag.latest_version > 0 && ag.latest_version !== ag.in_force_version) {
    jobs.push(api.get(`/relationships/${rel.id}/agreement`).then((a) => {
      const v = a.latest;
      if (v && !v.in_force && !(v.acknowledged_by || []).includes(meId()))
        out.push({ rank: 2, kind: 'attention', text: `Version ${v.version} of your agreement waits for your acknowledgement.`, href: base + '/agreement', link: 'Read and acknowledge' });
    }).catch(() => {}));
  } else if (ag.latest_version === 0 && ['active', 'proposed'].includes(rel.state)) {
    out.push({ rank: 4, kind: 'attention', text: 'You have no agreement yet.', href: base + '/agreement', link: 'Start the first conversation' });
  }
  if (['active', 'paused'].includes(rel.state)) {
    jobs.push(api.all(`/relationships/${rel.id}/commitments`, { state: 'open' }, 5).then((items) => {
      const now = Date.now();
      const n = items.filter((c) => new Date(c.due_at).getTime() < now).length;
      if (n) out.push({ rank: 1, kind: 'overdue', text: `${n} overdue commitment${n > 1 ? 's' : ''}.`, href: base + '/commitments', link: 'Record outcomes' });
    }).catch(() => {}));
    jobs.push(api.get(`/relationships/${rel.id}/warnings`).then((page) => {
      const n = page.items.length;
      const alert = page.items.some((w) => w.severity === 'alert');
      if (n) out.push({ rank: alert ? 1 : 3, kind: 'attention', text: `${n} early warning${n > 1 ? 's' : ''} about how trust is going${alert ? ', one of them an alert' : ''}.`, href: base + '/trust', link: 'See the trust profile' });
    }).catch(() => {}));
    jobs.push(api.all(`/relationships/${rel.id}/requests`, undefined, 5).then((items) => {
      const n = items.filter((q) => !q.replied_at && q.responder_id === meId()).length;
      if (n) out.push({ rank: 2, kind: 'attention', text: `${n} request${n > 1 ? 's wait' : ' waits'} for your reply.`, href: base + '/requests', link: 'Reply' });
    }).catch(() => {}));
    jobs.push(api.all(`/relationships/${rel.id}/checkins`, undefined, 5).then((items) => {
      const now = Date.now();
      const n = items.filter((c) => !c.outcome && new Date(c.scheduled_at).getTime() < now).length;
      if (n) out.push({ rank: 3, kind: 'attention', text: `${n} past check-in${n > 1 ? 's have' : ' has'} no outcome yet.`, href: base + '/checkins', link: 'Record what happened' });
    }).catch(() => {}));
    jobs.push(api.get(`/relationships/${rel.id}/pulse-schedule`).then((sch) => {
      if (sch.due) out.push({ rank: 5, kind: 'attention', text: 'Your pulse is due: seven short questions.', href: base + '/pulse', link: 'Answer the pulse' });
    }).catch(() => {}));
  }
  await Promise.all(jobs);
  out.sort((a, b) => a.rank - b.rank);
  return out;
}

export function needItem(n, prefix) {
  return h('li', { class: n.kind }, prefix ? h('strong', null, prefix + ': ') : null, n.text, ' ',
    h('a', { href: n.href }, n.link));
}

export async function render(ctx) {
  if (ctx.shellReused) ctx.rel = await ctx.refreshRel(); /* counts change in the other tabs */
  if (ctx.signal.aborted) return undefined;
  const rel = ctx.rel;
  ctx.setTitle(relTitle(rel));
  const todo = h('ul', { class: 'items' });
  const todoStatus = h('div', null, loading('Looking for what needs attention…'));
  const c = rel.counts || {};
  const facts = dl([
    ['Proposed', time(rel.proposed_at, false)],
    ['Agreement', rel.agreement && rel.agreement.in_force_version
      ? `Version ${rel.agreement.in_force_version} in force` + (rel.agreement.latest_version > rel.agreement.in_force_version ? `; version ${rel.agreement.latest_version} waits for acknowledgement` : '')
      : rel.agreement && rel.agreement.latest_version ? `Version ${rel.agreement.latest_version} waits for acknowledgement` : 'None yet'],
    ['Check-ins held', c.checkins !== undefined ? `${c.checkins_held} of ${c.checkins}` : null],
    ['Open commitments', c.commitments !== undefined ? `${c.commitments_open} of ${c.commitments}` : null],
    ['Goals', c.goals],
    ['Notes', c.notes],
    ['Feedback', c.feedback],
    ['Requests', c.requests],
  ]);
  const recent = isParty(rel) ? pager({
    load: (after) => api.get(`/relationships/${rel.id}/timeline`, { after, limit: RECENT }),
    item: (t) => h('li', { class: t.celebration ? 'celebration' : null },
      h('p', { class: 'item-text' }, t.celebration ? '🎉 ' : '', t.sentence || t.kind),
      h('p', { class: 'item-meta' }, time(t.at))),
    empty: 'Nothing has happened yet.',
    label: 'Recent activity',
  }) : null;
  replace(ctx.main,
    h('h2', { class: 'visually-hidden' }, 'Overview'),
    isParty(rel) ? subsection('Needs attention', todoStatus, todo) : null,
    subsection('State', transitionBlock(ctx)),
    subsection('At a glance', facts,
      isParty(rel) ? h('p', { class: 'cluster small' },
        h('a', { href: `#/relationships/${rel.id}/trust` }, 'Trust profile'),
        h('a', { href: `#/relationships/${rel.id}/incidents` }, 'Incidents and repair')) : null),
    recent ? subsection('Recent activity', recent) : null);
  let drawn = null;
  if (isParty(rel)) {
    drawn = needs(rel).then((list) => {
      if (ctx.signal.aborted) return;
      const items = list.map((n) => needItem(n));
      replace(todo, items);
      replace(todoStatus, items.length ? null : h('p', { class: 'state empty' }, 'Nothing needs attention right now.'));
    });
  }
  Promise.all([drawn, recent ? recent.ready : null]).then(() => markUsable(ctx.signal), () => {});
  return undefined;
}


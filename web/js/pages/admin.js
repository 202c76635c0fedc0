/* admin.js: the program administrator's pages. Metadata only: an administrator never
 * sees what the parties write (the API refuses it; nothing here asks for it).
 *
 *   #/programs                  my programs (and a new program, for site administrators)
 *   #/programs/:id              members and enrolment       GET/POST /programs/{id}/members
 *   #/programs/:id/matches      relationships and their states, propose a match
 *                               GET /programs/{id}/relationships, POST /relationships
 *   #/programs/:id/health       k-anonymous health figures   GET /programs/{id}/health
 *   #/programs/:id/settings     the program's terms and which early warnings it raises, and
 *                               who changed them       GET/PUT /programs/{id}/settings,
 *                                                      GET /programs/{id}/settings/changes
 */
import { api } from '../api.js';
import { h, replace, loading, errorBox, empty, form, field, pager, section, badge, time, announce, fmtDate, subnav } from '../ui.js';

const STATES = {
  proposed: 'Proposed: waiting for both to accept',
  active: 'Active',
  paused: 'Paused',
  completed: 'Completed',
  alumni: 'Alumni',
  declined: 'Declined',
  ended: 'Ended',
};

function memberItem(m) {
  return h('li', { class: 'row' },
    h('span', { class: 'row-main' }, h('strong', null, m.name), ' ', h('span', { class: 'muted' }, m.email)),
    h('span', { class: 'row-side' }, badge(m.role), m.invited ? [' ', badge('invited', 'warn')] : null,
      ' since ', time(m.since, false)));
}

function introText(kind, st, off) {
  return `A ${kind} program. Check-ins every ${st.cadence_days} days, replies within ${st.reply_window_hours} hours, a pulse every ${st.pulse_every_days} days; group figures need at least ${st.k_anonymity} relationships. ${off.length ? `Early warnings turned off: ${off.map(warningName).join(', ')}.` : 'Every early warning is on.'}`;
}

/* The program's sub-navigation, shared by every program page (matching.js,
 * roster.js use it too); here is the current page's path. */
export function programNav(id, here) {
  return subnav('Program', [[`/programs/${id}`, 'Members'], [`/programs/${id}/matches`, 'Matches'],
    [`/programs/${id}/matching`, 'Matching'], [`/programs/${id}/circles`, 'Circles'], [`/programs/${id}/health`, 'Health'],
    [`/programs/${id}/settings`, 'Settings'], [`/programs/${id}/roster`, 'Import and export']], here);
}

async function header(ctx, here) {
  const id = ctx.params.id;
  const p = await api.get(`/programs/${id}`);
  ctx.setTitle(p.name);
  return [h('h1', null, p.name), h('p', { class: 'muted' }, introText(p.kind, p.settings, p.warnings_off || [])),
    programNav(id, here), p];
}

async function membersPage(ctx) {
  const id = ctx.params.id;
  const [h1, intro, nav] = await header(ctx, `/programs/${id}`);
  const list = pager({
    load: (after) => api.get(`/programs/${id}/members`, { after, limit: 25 }),
    item: memberItem, label: 'Members', empty: 'No members yet.',
  });
  const enrol = form({
    label: 'Enrol someone',
    fields: [
      field({ name: 'name', label: 'Name', required: true, autocomplete: 'off' }),
      field({ name: 'email', label: 'Email', type: 'email', required: true, autocomplete: 'off' }),
      field({ name: 'role', label: 'Role', type: 'select', required: true,
        options: [['learner', 'Learner'], ['guide', 'Guide'], ['admin', 'Program administrator']], value: 'learner' }),
    ],
    submit: 'Enrol', reset: true,
    onSubmit: async (v) => {
      const r = await api.post(`/programs/${id}/members`, v);
      announce(r.invited ? `${v.name} is enrolled and invited to set a password.` : `${v.name} is enrolled.`);
      await list.reload();
    },
  });
  replace(ctx.main, h1, intro, nav,
    section('Enrol someone', h('p', { class: 'hint' }, 'People new to Rapport get an invitation to set their password.'), enrol),
    section('Members', list));
  await list.ready;
}

async function matchesPage(ctx) {
  const id = Number(ctx.params.id);
  const [h1, intro, nav] = await header(ctx, `/programs/${id}/matches`);
  const members = await api.all(`/programs/${id}/members`, undefined, 20);
  const name = (pid) => (members.find((m) => m.id === pid) || { name: `person ${pid}` }).name;
  const guides = members.filter((m) => m.role === 'guide');
  const learners = members.filter((m) => m.role === 'learner');
  const list = pager({
    load: (after) => api.get(`/programs/${id}/relationships`, { after, limit: 25 }),
    label: 'Relationships', empty: 'No relationships yet: propose a match above.',
    item: (r) => h('li', { class: 'row' },
      h('span', { class: 'row-main' }, h('strong', null, name(r.guide_id)), ' (guide) with ', h('strong', null, name(r.learner_id)), ' (learner)'),
      h('span', { class: 'row-side' }, badge(STATES[r.state] || r.state, r.state === 'active' ? 'ok' : r.state === 'proposed' ? 'warn' : null),
        r.state === 'proposed' ? ` accepted by: ${['guide', 'learner'].filter((k) => r.accepted && r.accepted[k]).join(' and ') || 'nobody yet'}` : null,
        ' since ', time(r.state_since, false))),
  });
  const propose = form({
    label: 'Propose a match',
    fields: [
      field({ name: 'guide_id', label: 'Guide', type: 'select', required: true, numeric: true, options: guides.map((m) => [m.id, `${m.name} (${m.email})`]) }),
      field({ name: 'learner_id', label: 'Learner', type: 'select', required: true, numeric: true, options: learners.map((m) => [m.id, `${m.name} (${m.email})`]) }),
    ],
    submit: 'Propose the match',
    onSubmit: async (v) => {
      const r = await api.post('/relationships', { program_id: id, ...v });
      announce(`Proposed: ${name(r.guide_id)} with ${name(r.learner_id)}. Both must accept.`);
      await list.reload();
    },
  });
  replace(ctx.main, h1, intro, nav,
    section('Propose a match', h('p', { class: 'hint' }, 'The relationship starts once the guide and the learner have both accepted.'),
      guides.length && learners.length ? propose : empty('Enrol at least one guide and one learner first.')),
    section('Relationships', list));
  await list.ready;
}

/* ---- settings ---- */

/* What each early warning watches for, in the words the settings page uses. */
const WARNINGS = {
  CADENCE_GAP: 'Check-ins have stopped: several agreed meetings in a row without one held',
  LATE_CANCELLATIONS: 'One person keeps cancelling late or not showing up',
  FOLLOW_THROUGH: 'Commitments are not kept or renegotiated in time',
  SLOW_REPLIES: 'Replies take longer than the agreed window',
  CRITICISM_HEAVY: 'Feedback is mostly criticism aimed at the person',
  NO_CONSTRUCTIVE: 'Feedback never suggests what to do next',
  ONE_WAY_FEEDBACK: 'Feedback only ever goes from the guide to the learner',
  SAFETY_DOUBT: 'A pulse says confidences or disagreeing do not feel safe',
  PULSE_DROP: 'A pulse fell sharply, or has slid steadily',
  INCIDENT: 'An incident is open',
  NO_AGREEMENT: 'No agreement both have acknowledged after two weeks',
  NO_GOALS: 'No goal, or a goal that is not yet specific and measurable',
  PERCEPTION_GAP: 'What a person says in the pulse and what happened disagree',
  ONE_SIDED_DRIFT: 'Trust is falling in one direction only',
  DECLINING: 'Trust is falling',
};

function warningName(code) { return code.replace(/_/g, ' ').toLowerCase(); }

function changeText(c) {
  const parts = [];
  const names = { cadence_days: ['check-ins every', 'days'], reply_window_hours: ['replies within', 'hours'], pulse_every_days: ['a pulse every', 'days'] };
  for (const [k, [what, unit]] of Object.entries(names))
    if (c.changes[k]) parts.push(`${what} ${c.changes[k].from} → ${c.changes[k].to} ${unit}`);
  const w = c.changes.warnings_off;
  if (w) {
    const turnedOff = w.to.filter((x) => !w.from.includes(x));
    const turnedOn = w.from.filter((x) => !w.to.includes(x));
    if (turnedOff.length) parts.push(`turned off: ${turnedOff.map(warningName).join(', ')}`);
    if (turnedOn.length) parts.push(`turned on: ${turnedOn.map(warningName).join(', ')}`);
  }
  return parts.join('; ') || 'no change';
}

async function settingsPage(ctx) {
  const id = ctx.params.id;
  const [h1, intro, nav, prog] = await header(ctx, `/programs/${id}/settings`);
  const st = await api.get(`/programs/${id}/settings`);
  const changes = pager({
    load: (after) => api.get(`/programs/${id}/settings/changes`, { after, limit: 10 }),
    label: 'Changes to the settings', empty: 'The settings have not been changed since the program began.',
    item: (c) => h('li', { class: 'row' },
      h('span', { class: 'row-main' }, changeText(c)),
      h('span', { class: 'row-side' }, c.by ? c.by.name : 'Rapport', ' ', time(c.at))),
  });
  const switches = h('fieldset', { class: 'group' },
    h('legend', null, 'Early warnings this program raises'),
    h('p', { class: 'hint' }, 'A warning turned off is withdrawn from every pair at once, and each pair is told the program\'s settings withdrew it. Turned on again, it returns wherever its condition holds. The thresholds are the trust model\'s and stay the same.'),
    st.warnings.map((w) => {
      const f = field({ name: `on_${w.code}`, pointer: `/on/${w.code}`, type: 'checkbox', value: w.on,
        label: `${WARNINGS[w.code] || w.code} (${warningName(w.code)}, ${w.severity})`,
        hint: w.can_turn_off ? null : 'Always on: an open incident always warns.' });
      if (!w.can_turn_off) f.querySelector('input').disabled = true;
      return f;
    }));
  const terms = form({
    label: 'Program settings',
    fields: [
      field({ name: 'cadence_days', label: 'Check-ins every (days)', type: 'number', required: true, min: 1, max: 365, value: st.cadence_days,
        hint: 'For pairs whose agreement does not set its own rhythm.' }),
      field({ name: 'reply_window_hours', label: 'Replies within (hours)', type: 'number', required: true, min: 1, max: 720, value: st.reply_window_hours,
        hint: 'For pairs whose agreement does not set its own window.' }),
      field({ name: 'pulse_every_days', label: 'A pulse every (days)', type: 'number', required: true, min: 7, max: 365, value: st.pulse_every_days }),
      switches,
    ],
    submit: 'Save the settings',
    onSubmit: async (v) => {
      const on = v.on || {};
      const body = { cadence_days: v.cadence_days, reply_window_hours: v.reply_window_hours, pulse_every_days: v.pulse_every_days,
        warnings_off: st.warnings.filter((w) => w.can_turn_off && on[w.code] === false).map((w) => w.code) };
      const r = await api.put(`/programs/${id}/settings`, body);
      st.warnings = r.warnings;
      intro.textContent = introText(prog.kind, r, r.warnings.filter((w) => !w.on).map((w) => w.code));
      announce(!r.change.changed ? 'Nothing to change: the settings were already so.'
        : `The settings are saved. ${r.change.relationships_refreshed} current relationships were brought up to date${r.change.warnings_withdrawn ? `, ${r.change.warnings_withdrawn} warnings withdrawn` : ''}.`);
      await changes.reload();
    },
  });
  replace(ctx.main, h1, intro, nav,
    h('h2', null, 'Settings'),
    h('p', { class: 'lead' }, `The terms pairs run on until their agreement sets its own, and which early warnings the program raises. Group figures need at least ${st.k_anonymity} relationships; that protects the pairs and is not changed here.`),
    terms,
    section('Changes', changes));
  await changes.ready;
}

/* ---- health ---- */

function suppressedCell(c, k) {
  const why = c.reason === 'fewer than k' ? `fewer than ${k} relationships, so no one could be singled out`
    : c.reason === 'complementary' ? 'hidden too, because with the figures shown it would reveal a suppressed one'
      : c.reason;
  return h('span', { class: 'suppressed' }, h('strong', null, 'suppressed'), ' ', h('span', { class: 'muted' }, `(${why})`));
}

function one(x) { return (Math.round(x * 10) / 10).toFixed(Number.isInteger(Math.round(x * 10) / 10) ? 0 : 1); }
function pctText(x) { return `${Math.round(x * 100)}%`; }
function points(x) { return `${Math.round(x * 100)} points`; }
function change(t, fmt, fmtDelta = fmt) {
  if (!t || t.suppressed) return null;
  const c = t.change;
  return h('span', { class: 'muted' }, ` (${c > 0 ? 'up' : c < 0 ? 'down' : 'no change'}${c ? ' ' + fmtDelta(Math.abs(c)) : ''} from ${fmt(t.previous)})`);
}

function cell(v, k, body) { return v && v.suppressed ? suppressedCell(v, k) : body(v); }

function groupBlock(g, k) {
  const title = g.kind === 'program' ? 'The whole program' : `Guide: ${g.name}`;
  const rows = [
    ['Relationships', String(g.relationships)],
    ['Trust index', cell(g.trust_index, k, (t) => `mean ${one(t.mean)}, median ${one(t.median)} (middle half ${one(t.p25)}–${one(t.p75)}) over ${t.directions} directions`)],
    ['Check-ins kept to the agreed rhythm', cell(g.cadence_adherence, k, (c) => [pctText(c.value), change(c.trend, pctText, points)])],
    ['Commitments followed through', cell(g.follow_through, k, (c) => [pctText(c.value), change(c.trend, pctText, points)])],
    ['Pulse (1–5)', cell(g.pulse, k, (p) => [`${p.mean.toFixed(2)} from ${p.raters} raters`, change(p.trend, (x) => x.toFixed(2))])],
  ];
  let warnings = null;
  if (g.warnings && g.warnings.suppressed) {
    warnings = h('p', null, 'Warnings: ', suppressedCell(g.warnings, k));
  } else if (g.warnings) {
    const shown = Object.entries(g.warnings).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
    warnings = h('div', null, h('h4', null, 'Share of relationships with each warning'),
      shown.length ? h('ul', { class: 'shares' }, shown.map(([code, v]) => h('li', null, `${code.replace(/_/g, ' ').toLowerCase()}: ${pctText(v)}`)))
        : empty('No warnings.'));
  }
  return h('article', { class: 'health-group' }, h('h3', null, title),
    h('table', { class: 'figures' }, h('tbody', null, rows.map(([t, d]) => h('tr', null, h('th', { scope: 'row' }, t), h('td', null, d))))),
    warnings);
}

async function healthPage(ctx) {
  const id = ctx.params.id;
  const [h1, intro, nav] = await header(ctx, `/programs/${id}/health`);
  const hl = await api.get(`/programs/${id}/health`);
  replace(ctx.main, h1, intro, nav,
    h('h2', null, 'Health'),
    h('p', { class: 'lead' }, `Figures over the last ${hl.period_days} days, as of ${fmtDate(hl.as_of)}. A figure drawn from fewer than ${hl.k} relationships is suppressed (and so is any figure from which it could be worked out), so that no one can be singled out. Nothing anyone wrote is ever shown here.`),
    hl.groups.length ? hl.groups.map((g) => groupBlock(g, hl.k)) : empty('No relationships yet.'));
}

async function programsPage(ctx) {
  const me = ctx.me;
  const mine = (me.programs || []).filter((p) => p.role === 'admin' || me.site_admin);
  const parts = [h('h1', null, 'Programs')];
  parts.push(mine.length ? h('ul', { class: 'items' }, mine.map((p) => h('li', { class: 'row' },
    h('span', { class: 'row-main' }, h('a', { href: `#/programs/${p.id}` }, p.name)),
    h('span', { class: 'row-side' }, badge(p.kind), ' ', h('a', { href: `#/programs/${p.id}/health` }, 'Health')))))
    : empty('You administer no program yet.'));
  if (me.site_admin) {
    parts.push(section('New program', form({
      label: 'New program',
      fields: [
        field({ name: 'name', label: 'Name', required: true }),
        field({ name: 'kind', label: 'Kind', type: 'select', required: true, options: [['mentoring', 'Mentoring'], ['coaching', 'Coaching']] }),
        field({ name: 'cadence_days', label: 'Check-in every (days)', type: 'number', pointer: '/settings/cadence_days', min: 1 }),
        field({ name: 'k_anonymity', label: 'Smallest group shown in figures', type: 'number', pointer: '/settings/k_anonymity', min: 2 }),
      ],
      submit: 'Create the program',
      onSubmit: async (v) => {
        const p = await api.post('/programs', v);
        announce(`${p.name} is created.`);
        ctx.navigate(`/programs/${p.id}`);
      },
    })));
  }
  replace(ctx.main, ...parts);
}

export async function render(ctx) {
  const path = ctx.route.path;
  ctx.main.setAttribute('aria-busy', 'true');
  replace(ctx.main, loading());
  try {
    if (path === '/programs') await programsPage(ctx);
    else if (path.endsWith('/matches')) await matchesPage(ctx);
    else if (path.endsWith('/health')) await healthPage(ctx);
    else if (path.endsWith('/settings')) await settingsPage(ctx);
    else await membersPage(ctx);
  } catch (err) {
    replace(ctx.main, h('h1', null, 'Program'), errorBox(err));
  } finally {
    ctx.main.removeAttribute('aria-busy');
  }
}

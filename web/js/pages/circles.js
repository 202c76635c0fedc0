/* pages/circles.js: peer circles. "My circles" (#/circles), forming a circle (#/circles/new,
 * the program's administrators), and one circle (#/circles/:id and its sections: agreement,
 * check-ins with attendance, commitments, requests, feedback, notes, goals, incidents, pulse,
 * trust, warnings). Everything a member writes is readable only by the people in the circle
 * while they are in it; administrators see the circle's state and members, never its text.
 * A warning about a member is shown to that member; the facilitator reads only "a member may
 * need a check-in" unless the member shares it. */
import { api, session } from '../api.js';
import { h, replace, form, field, announce, section, subsection, time, badge, errorBox, loading, button, dl, subnav, empty } from '../ui.js';
import { stateBadge } from './relationship.js';
import { isAdmin } from '../routes.js';

const SECTIONS = [
  ['', 'Overview'], ['agreement', 'Agreement'], ['checkins', 'Check-ins'], ['commitments', 'Commitments'],
  ['requests', 'Requests'], ['feedback', 'Feedback'], ['notes', 'Notes'], ['goals', 'Goals'],
  ['incidents', 'Incidents'], ['pulse', 'Pulse'], ['trust', 'Trust'], ['warnings', 'Warnings'],
];

const ATTENDANCE = [['present', 'Present'], ['late', 'Late'], ['absent_with_notice', 'Absent with notice'],
  ['absent_without_notice', 'Absent without notice']];

const ITEMS = [
  ['REL1', 'The circle did what it said it would, when it said'],
  ['REL2', 'Members replied in good time when I asked for help'],
  ['INT1', 'Members were straight with me, even when it was uncomfortable'],
  ['INT2', 'What I shared stayed in the circle (I am confident of it)'],
  ['COM1', 'The circle helped me move forward on my goals'],
  ['EMP1', 'Members tried to understand my situation before advising'],
  ['EMP2', 'I could raise a concern or disagree without feeling judged'],
];
const SCALE = [['1', '1 Almost never'], ['2', '2 Rarely'], ['3', '3 Sometimes'], ['4', '4 Often'],
  ['5', '5 Almost always'], ['', 'No chance to tell']];

function meId() { return session.me && session.me.person ? session.me.person.id : 0; }

function nameOf(c, id) {
  if (id === meId()) return 'You';
  const m = (c.members || []).find((x) => x.person_id === id);
  return m && m.name ? m.name : 'A former member';
}

function current(c) {
  const m = (c.members || []).find((x) => x.person_id === meId());
  return !!m && !m.left_at;
}

function currentMembers(c) {
  return (c.members || []).filter((m) => m.role === 'member' && !m.left_at);
}

/* ---- my circles and forming ---- */

async function renderList(ctx) {
  const items = await api.all('/circles');
  const list = items.length ? h('ul', { class: 'items', 'aria-label': 'My circles' }, items.map((c) =>
    h('li', null, h('div', { class: 'item-head' },
      h('h3', null, h('a', { href: `#/circles/${c.id}` }, c.name)), stateBadge(c.state)),
    h('p', { class: 'muted' }, 'Formed ', time(c.proposed_at, false), ` · meets every ${c.cadence_days} days`))))
    : empty('You are not in a circle yet.');
  const admin = isAdmin(ctx.me) ? h('p', null, h('a', { href: '#/circles/new' }, 'Form a circle')) : null;
  replace(ctx.main, h('h1', null, 'My circles'),
    h('p', null, 'A circle is 3 to 8 people who learn from each other, with an optional facilitator.'),
    admin, list);
}

async function renderNew(ctx) {
  const programs = ((ctx.me && ctx.me.programs) || []).filter((p) => p.role === 'admin' || ctx.me.site_admin);
  const pid = Number(ctx.query.get('program')) || (programs[0] && programs[0].id);
  const picker = h('nav', { 'aria-label': 'Programs' }, h('ul', { class: 'inline' }, programs.map((p) =>
    h('li', null, h('a', { href: `#/circles/new?program=${p.id}`, 'aria-current': p.id === pid ? 'page' : null }, p.name)))));
  if (!pid) {
    replace(ctx.main, h('h1', null, 'Form a circle'), empty('You administer no program.'));
    return;
  }
  const people = (await api.all(`/programs/${pid}/members`)).filter((m) => m.role !== 'admin');
  const seen = new Map();
  for (const p of people) if (!seen.has(p.id)) seen.set(p.id, p);
  const choices = [...seen.values()].map((p) => [String(p.id), `${p.name} (${p.role})`]);
  const f = form({
    label: 'Form a circle',
    submit: 'Form the circle',
    fields: [
      field({ name: 'name', label: 'Name of the circle', required: true }),
      ...choices.map(([id, name]) => field({ name: `m${id}`, label: `Member: ${name}`, type: 'checkbox' })),
      field({ name: 'facilitator_id', label: 'Facilitator', type: 'select', numeric: true,
        options: [['', 'No facilitator'], ...choices] }),
      field({ name: 'cadence_days', label: 'Meets every (days)', type: 'number', min: 1, max: 365, value: 14 }),
    ],
    onSubmit: async (v) => {
      const ids = choices.filter(([id]) => v[`m${id}`]).map(([id]) => Number(id));
      const body = { program_id: pid, name: v.name, member_ids: ids, cadence_days: v.cadence_days };
      if (v.facilitator_id) body.facilitator_id = v.facilitator_id;
      const c = await api.post('/circles', body);
      announce(`Circle ${c.name} formed. Its members are asked to accept.`);
      ctx.navigate(`/circles/${c.id}`);
    },
  });
  replace(ctx.main, h('h1', null, 'Form a circle'), picker,
    h('p', null, h('a', { href: `#/programs/${pid}/circles` }, 'Or let the matcher propose circles')), f);
}

/* ---- one circle ---- */

async function overview(ctx, c, main) {
  const mine = (c.members || []).find((m) => m.person_id === meId());
  const actions = [];
  if (mine && c.state === 'proposed' && !mine.accepted) {
    actions.push(button('Accept the circle', async () => {
      await api.post(`/circles/${c.id}/accept`);
      announce('You accepted the circle.');
      ctx.navigate(`/circles/${c.id}`);
    }));
  }
  if (mine && current(c) && ['active', 'paused', 'proposed'].includes(c.state)) {
    actions.push(button('Leave the circle', async () => {
      await api.post(`/circles/${c.id}/leave`);
      announce('You left the circle. You keep what was written while you were in it.');
      ctx.navigate(`/circles/${c.id}`);
    }, { cls: 'secondary' }));
  }
  const add = await addMemberForm(ctx, c, mine);
  const members = h('ul', { class: 'items', 'aria-label': 'Members' }, (c.members || []).map((m) =>
    h('li', null, h('div', { class: 'item-head' }, h('h4', null, m.person_id === meId() ? `${m.name} (you)` : m.name),
      badge(m.role === 'facilitator' ? 'Facilitator' : 'Member', 'info'),
      m.left_at ? badge('Left', 'muted') : (m.accepted ? null : badge('Not accepted yet', 'warn'))))));
  const EVENT_WORDS = {
    proposed: 'The circle was formed', accepted: 'accepted the circle', state_changed: 'The circle became',
    member_left: 'left the circle', member_added: 'joined the circle', agreement_proposed: 'proposed the agreement',
    agreement_acknowledged: 'acknowledged the agreement', checkin_recorded: 'recorded a check-in',
    feedback_added: 'gave feedback', reply_added: 'replied to a request', request_added: 'asked the circle',
    commitment_added: 'made a commitment', note_added: 'shared a note', goal_added: 'set a goal',
    incident_added: 'reported an incident', incident_reported: 'reported an incident',
    incident_acknowledged: 'acknowledged an incident', incident_resolved: 'marked an incident resolved',
    repair_acknowledged: 'acknowledged their part in a repair plan', repair_amends_agreed: 'agreed amends',
    goal_review: 'reviewed goals', account_deleted: 'deleted their account',
    commitment_closed: 'closed a commitment', goal_closed: 'closed a goal',
  };
  const events = (await api.all(`/circles/${c.id}/events`)).slice(-10).reverse();
  const history = h('ul', { class: 'items', 'aria-label': 'What happened' }, events.map((ev) => {
    const who = ev.kind === 'accepted' || ev.kind === 'member_left' || ev.kind === 'member_added' ? ev.subject_id : ev.actor_id;
    let text;
    if (ev.kind === 'proposed') text = EVENT_WORDS.proposed;
    else if (ev.kind === 'state_changed') text = `${EVENT_WORDS.state_changed} ${ev.to_state}`;
    else if (EVENT_WORDS[ev.kind]) text = `${nameOf(c, who)} ${EVENT_WORDS[ev.kind]}`;
    else text = `${nameOf(c, ev.actor_id)}: ${ev.kind.replace(/_/g, ' ')}`;
    return h('li', null, text, ' ', time(ev.at));
  }));
  replace(main, h('h2', null, 'Overview'),
    dl([['State', stateBadge(c.state)], ['Meets every', `${c.cadence_days} days`],
      ['Check-ins held', String(c.counts.checkins)],
      ['Agreement', c.counts.agreement_version ? `version ${c.counts.agreement_version}, ${c.counts.agreement_in_force ? 'in force' : 'waiting for every member'}` : 'none yet']]),
    actions.length ? h('div', { class: 'actions' }, actions) : null,
    subsection('People', members, add), subsection('Lately', events.length ? history : empty('Nothing yet.')));
}

/* The facilitator (or a program admin) adds a member of the program while the circle is
 * active: whom they may add comes from the circle's candidates. */
async function addMemberForm(ctx, c, mine) {
  const facilitator = mine && mine.role === 'facilitator' && !mine.left_at;
  if (c.state !== 'active' || !(facilitator || !mine)) return null;
  if (currentMembers(c).length >= 8) return h('p', { class: 'muted' }, 'The circle is full: a circle has at most 8 members.');
  const people = await api.all(`/circles/${c.id}/candidates`);
  if (!people.length) return h('p', { class: 'muted' }, 'Everyone in the program is or was in this circle.');
  return form({
    label: 'Add a member',
    submit: 'Add to the circle',
    fields: [field({ name: 'person_id', label: 'Person to add', type: 'select', numeric: true, required: true,
      options: [['', 'Choose a person'], ...people.map((p) => [String(p.person_id), `${p.name} (${p.role})`])] })],
    onSubmit: async (v) => {
      const got = await api.post(`/circles/${c.id}/members`, { person_id: v.person_id });
      const added = (got.members || []).find((m) => m.person_id === v.person_id);
      announce(`${added ? added.name : 'The member'} joined the circle.`);
      ctx.navigate(`/circles/${c.id}`);
    },
  });
}

async function agreement(ctx, c, main) {
  let ag = null;
  try { ag = await api.get(`/circles/${c.id}/agreement`); } catch (e) { if (e.status !== 404) throw e; }
  const acked = ag && ag.acknowledged_by.includes(meId());
  const me = (c.members || []).find((m) => m.person_id === meId());
  const ack = ag && !acked && me && me.role === 'member' && current(c) ? button('I agree to this version', async () => {
    await api.post(`/circles/${c.id}/agreement/acknowledge`, { version: ag.version });
    announce('You acknowledged the agreement.');
    ctx.navigate(`/circles/${c.id}/agreement`);
  }) : null;
  const write = current(c) && c.state === 'active' ? subsection(ag ? 'Propose a new version' : 'Propose the agreement', form({
    label: 'Circle agreement', submit: 'Propose',
    fields: [field({ name: 'text', label: 'What we agree', type: 'textarea', rows: 5, required: true, value: ag ? ag.text : '' }),
      field({ name: 'cadence_days', label: 'We meet every (days)', type: 'number', min: 1, max: 365, required: true, value: ag ? ag.cadence_days : c.cadence_days })],
    onSubmit: async (v) => {
      await api.put(`/circles/${c.id}/agreement`, v);
      announce('Agreement proposed. It is in force once every member acknowledged it.');
      ctx.navigate(`/circles/${c.id}/agreement`);
    },
  })) : null;
  replace(main, h('h2', null, 'Agreement'),
    ag ? h('div', null, h('p', null, badge(ag.in_force ? 'In force' : 'Waiting for every member', ag.in_force ? 'ok' : 'warn'),
      ` Version ${ag.version}, meeting every ${ag.cadence_days} days.`),
    h('p', { class: 'item-text' }, ag.text),
    h('p', { class: 'muted' }, 'Acknowledged by: ', ag.acknowledged_by.map((id) => nameOf(c, id)).join(', ') || 'nobody yet')) : empty('No agreement yet.'),
    ack, write);
}

async function checkins(ctx, c, main) {
  const list = (await api.all(`/circles/${c.id}/checkins`)).slice().reverse();
  const items = list.length ? h('ul', { class: 'items', 'aria-label': 'Check-ins' }, list.map((ck) =>
    h('li', null, h('h4', null, 'Held ', time(ck.held_at)),
      h('ul', { class: 'attendance' }, ck.attendance.map((a) =>
        h('li', null, `${nameOf(c, a.person_id)}: ${(ATTENDANCE.find((x) => x[0] === a.status) || [0, a.status])[1]}`))))))
    : empty('No check-in recorded yet.');
  const record = current(c) && c.state === 'active' ? subsection('Record a check-in', form({
    label: 'Record a check-in', submit: 'Record',
    fields: [field({ name: 'at', label: 'When it was held (optional, now if empty)', type: 'datetime' }),
      ...currentMembers(c).map((m) => field({ name: `p${m.person_id}`, label: `${m.name}`, type: 'select', value: 'present', options: ATTENDANCE }))],
    onSubmit: async (v) => {
      const body = { attendance: currentMembers(c).map((m) => ({ person_id: m.person_id, status: v[`p${m.person_id}`] })) };
      if (v.at) body.at = v.at;
      await api.post(`/circles/${c.id}/checkins`, body);
      announce('Check-in recorded.');
      ctx.navigate(`/circles/${c.id}/checkins`);
    },
  })) : null;
  replace(main, h('h2', null, 'Check-ins'), record, subsection('Check-ins you can see', items));
}

/* The list-and-write sections: what each kind shows and asks. */
const KINDS = {
  commitments: { title: 'Commitments', one: 'commitment', fields: () => [
    field({ name: 'text', label: 'I commit to', type: 'textarea', rows: 2, required: true }),
    field({ name: 'due_at', label: 'By', type: 'datetime', required: true })] },
  requests: { title: 'Requests', one: 'request', fields: () => [
    field({ name: 'text', label: 'Ask the circle', type: 'textarea', rows: 3, required: true })] },
  feedback: { title: 'Feedback', one: 'feedback', fields: (c) => [
    field({ name: 'to_id', label: 'For', type: 'select', numeric: true, required: true,
      options: currentMembers(c).filter((m) => m.person_id !== meId()).map((m) => [String(m.person_id), m.name]) }),
    field({ name: 'kind', label: 'Kind', type: 'radio', required: true, value: 'recognition', options: [['recognition', 'Recognition'], ['constructive', 'A suggestion']] }),
    field({ name: 'focus', label: 'About', type: 'radio', required: true, value: 'task', options: [['task', 'The work'], ['person', 'The person']] }),
    field({ name: 'text', label: 'Feedback', type: 'textarea', rows: 3, required: true })] },
  notes: { title: 'Notes', one: 'note', fields: () => [
    field({ name: 'visibility', label: 'Who can read it?', type: 'radio', required: true, value: 'shared',
      options: [['shared', 'Everyone in the circle now'], ['private', 'Only me']], hint: 'Administrators can never read notes.' }),
    field({ name: 'text', label: 'Note', type: 'textarea', rows: 4, required: true })] },
  goals: { title: 'Goals', one: 'goal', fields: () => [
    field({ name: 'text', label: 'My goal, to review with the circle', type: 'textarea', rows: 2, required: true })] },
  incidents: { title: 'Incidents', one: 'incident', fields: (c) => [
    field({ name: 'kind', label: 'What happened', type: 'select', required: true, value: 'other',
      options: [['confidentiality', 'Something shared was repeated'], ['bias', 'Bias'], ['judgment', 'Judgment'], ['other', 'Something else']] }),
    field({ name: 'concerning_id', label: 'Whom it concerns', type: 'select', numeric: true,
      options: [['', 'Nobody in particular'], ...currentMembers(c).map((m) => [String(m.person_id), nameOf(c, m.person_id)])] }),
    field({ name: 'text', label: 'Describe it', type: 'textarea', rows: 3, required: true })] },
};

function itemNode(ctx, c, kind, x) {
  const head = h('div', { class: 'item-head' }, h('h4', null, `${nameOf(c, x.author_id)} `, time(x.created_at)),
    x.status ? badge(x.status, 'info') : null,
    x.visibility === 'private' ? badge('Only you', 'muted') : null,
    kind === 'feedback' ? badge(`${x.kind === 'recognition' ? 'Recognition' : 'Suggestion'} for ${nameOf(c, x.to_id)}`, 'info') : null);
  const extra = [];
  if (kind === 'commitments' && x.due_at) extra.push(h('p', { class: 'muted' }, 'Due ', time(x.due_at)));
  if (kind === 'incidents') {
    extra.push(h('p', { class: 'muted' }, x.concerning_id ? `Concerns ${nameOf(c, x.concerning_id)}. ` : '',
      { reported: 'Reported.', acknowledged: 'Acknowledged; a repair plan is open.', resolved: 'Resolved.' }[x.state] || ''));
    const steps = [];
    if (current(c) && c.state === 'active' && x.state === 'reported' && x.concerning_id === meId()) {
      steps.push(button('I acknowledge this', async () => {
        await api.post(`/circle-items/${x.id}/acknowledge`);
        announce('You acknowledged the incident. Your repair plan is open.');
        ctx.navigate(`/circles/${c.id}/incidents`);
      }, { label: `I acknowledge this: ${(x.text || '').slice(0, 40)}` }));
    }
    if (current(c) && c.state === 'active' && x.state !== 'resolved') {
      steps.push(button('Mark resolved', async () => {
        await api.post(`/circle-items/${x.id}/resolve`);
        announce('The incident is marked resolved.');
        ctx.navigate(`/circles/${c.id}/incidents`);
      }, { cls: 'secondary', label: `Mark resolved: ${(x.text || '').slice(0, 40)}` }));
    }
    if (steps.length) extra.push(h('div', { class: 'actions' }, steps));
  }
  if ((kind === 'commitments' || kind === 'goals') && x.author_id === meId() && !x.closed_at && current(c)) {
    const outcomes = kind === 'commitments' ? [['kept', 'Kept'], ['kept_late', 'Kept late'], ['broken', 'Not kept'], ['dropped', 'Dropped']]
      : [['achieved', 'Achieved'], ['dropped', 'Dropped']];
    extra.push(h('div', { class: 'actions' }, outcomes.map(([o, t]) => button(t, async () => {
      await api.post(`/circle-items/${x.id}/outcome`, { outcome: o });
      announce(`Marked ${t.toLowerCase()}.`);
      ctx.navigate(`/circles/${c.id}/${kind}`);
    }, { cls: 'secondary', label: `${t}: ${(x.text || '').slice(0, 40)}` }))));
  }
  if (kind === 'requests') {
    extra.push(h('ul', { class: 'replies', 'aria-label': 'Replies' }, (x.replies || []).map((r) =>
      h('li', null, h('p', null, h('strong', null, `${nameOf(c, r.author_id)}: `), r.text === null ? 'Deleted with its author\'s account.' : r.text)))));
    if (x.author_id !== meId() && current(c) && c.state === 'active') {
      extra.push(form({ label: 'Reply', submit: 'Reply', reset: true,
        fields: [field({ name: 'text', label: 'Your reply', type: 'textarea', rows: 2, required: true })],
        onSubmit: async (v) => {
          await api.post(`/circle-items/${x.id}/reply`, v);
          announce('Reply sent.');
          ctx.navigate(`/circles/${c.id}/requests`);
        } }));
    }
  }
  return h('li', null, head, x.text === null ? h('p', { class: 'muted' }, 'Deleted with its author\'s account.')
    : h('p', { class: 'item-text' }, x.text), extra);
}

async function kindSection(ctx, c, main, kind) {
  const k = KINDS[kind];
  const items = (await api.all(`/circles/${c.id}/${kind}`)).slice().reverse();
  const list = items.length ? h('ul', { class: 'items', 'aria-label': k.title }, items.map((x) => itemNode(ctx, c, kind, x)))
    : empty(`No ${k.title.toLowerCase()} you can read yet.`);
  const write = current(c) && c.state === 'active' ? subsection(`Add a ${k.one}`, form({
    label: `Add a ${k.one}`, submit: 'Save', reset: true, fields: k.fields(c),
    onSubmit: async (v) => {
      const body = { ...v };
      if (!body.concerning_id) delete body.concerning_id;
      await api.post(`/circles/${c.id}/${kind}`, body);
      announce('Saved. Everyone in the circle now can read it.');
      ctx.navigate(`/circles/${c.id}/${kind}`);
    },
  })) : null;
  replace(main, h('h2', null, k.title), write, subsection(`${k.title} you can read`, list));
}

async function pulse(ctx, c, main) {
  const p = await api.get(`/circles/${c.id}/pulse`);
  const agg = p.circle ? h('ul', { class: 'items', 'aria-label': 'The circle\'s answers' }, ITEMS.map(([k, t]) =>
    h('li', null, `${t}: `, p.circle[k] === null ? 'no answers' : `${p.circle[k].toFixed(1)} of 5`)))
    : h('p', { class: 'muted' }, `The circle's answers are shown once at least ${p.min_raters} members answered (${p.raters} so far). Nobody sees your own answers.`);
  const me = (c.members || []).find((m) => m.person_id === meId());
  const ask = me && me.role === 'member' && current(c) && c.state === 'active' ? subsection('How is the circle going for you?', form({
    label: 'Pulse about the circle', submit: 'Send my answers',
    fields: ITEMS.map(([k, t]) => field({ name: k, label: t, type: 'radio', options: SCALE, numeric: true, value: '', pointer: `/answers/${k}` })),
    onSubmit: async (v) => {
      await api.post(`/circles/${c.id}/pulse`, { answers: v.answers || {} });
      announce('Thank you. Your answers count only in the circle\'s averages.');
      ctx.navigate(`/circles/${c.id}/pulse`);
    },
  })) : null;
  replace(main, h('h2', null, 'Pulse'), ask, subsection('The circle as its members see it', agg));
}

function direction(title, d) {
  const comps = { REL: 'Reliability', INT: 'Integrity', COM: 'Competence', EMP: 'Empathy' };
  return subsection(title,
    h('p', null, h('strong', null, `${d.index} of 100`), ' ', badge(d.label.replace(/_/g, ' '), 'info')),
    h('ul', { class: 'items', 'aria-label': `${title}: the four parts` }, Object.entries(d.components).map(([k, s]) =>
      h('li', null, `${comps[k]}: ${Math.round(s.p * 100)} (likely between ${Math.round(s.low * 100)} and ${Math.round(s.high * 100)})`))),
    d.explanation.length ? h('div', null, h('h4', null, 'What moves it most'),
      h('ul', null, d.explanation.map((x) => h('li', null, x.sentence, ' ', time(x.at, false))))) : null);
}

async function trust(ctx, c, main) {
  const t = await api.get(`/circles/${c.id}/trust`);
  replace(main, h('h2', null, 'Trust'),
    h('p', null, 'Only you see these figures about you. They come from what you did and what you answered, never from anyone\'s words.'),
    direction('The circle\'s trust in you', t.circle_in_me),
    direction('Your trust in the circle', t.me_in_circle),
    subsection('The circle as a whole', t.circle.index === null
      ? h('p', { class: 'muted' }, `Shown once at least ${t.circle.min_raters} members answered the pulse (${t.circle.raters} so far).`)
      : h('p', null, `Members' trust in the circle: ${t.circle.index} of 100, from ${t.circle.raters} members.`)));
}

async function warnings(ctx, c, main) {
  const list = (await api.get(`/circles/${c.id}/warnings`)).items;
  const items = list.length ? h('ul', { class: 'items', 'aria-label': 'Warnings' }, list.map((w) => h('li', null,
    h('div', { class: 'item-head' }, h('h4', null, w.sentence),
      w.member_id === meId() ? badge(w.shared ? 'About you: shared with the facilitator' : 'About you: only you see this', 'warn') : null,
      w.anonymous ? badge('Nobody is named', 'muted') : null),
    w.practice ? h('p', null, 'A practice that helps: ', h('a', { href: `#/practices/${w.practice.id}` }, w.practice.title)) : null,
    w.questions.length ? h('div', null, h('h5', null, 'Questions to reflect on'), h('ul', null, w.questions.map((q) => h('li', null, q)))) : null,
    w.member_id === meId() && !w.shared ? button('Tell the facilitator it is me', async () => {
      await api.post(`/circles/${c.id}/warnings/share`, { code: w.code });
      announce('The facilitator now sees this warning with your name.');
      ctx.navigate(`/circles/${c.id}/warnings`);
    }, { cls: 'secondary', label: `Tell the facilitator it is me: ${w.sentence}` }) : null)))
    : empty('No warnings. The circle is doing well.');
  replace(main, h('h2', null, 'Warnings'), items);
}

const RENDER = { '': overview, agreement, checkins, pulse, trust, warnings };

async function renderCircle(ctx) {
  const id = ctx.params.id;
  const tab = ctx.params.tab || '';
  const c = await api.get(`/circles/${id}`);
  ctx.setTitle(c.name);
  const inside = (c.members || []).some((m) => m.person_id === meId());
  const links = (inside ? SECTIONS : SECTIONS.slice(0, 1)).map(([p, t]) => [p ? `/circles/${id}/${p}` : `/circles/${id}`, t]);
  const main = h('div', { class: 'circle-section' }, loading());
  replace(ctx.main, h('h1', null, c.name, ' ', stateBadge(c.state)),
    subnav('Circle sections', links, tab ? `/circles/${id}/${tab}` : `/circles/${id}`), main);
  try {
    if (KINDS[tab]) await kindSection(ctx, c, main, tab);
    else await (RENDER[tab] || overview)(ctx, c, main);
  } catch (e) {
    replace(main, errorBox(e));
  }
}

export async function render(ctx) {
  if (ctx.route.path === '/circles') return renderList(ctx);
  if (ctx.route.path === '/circles/new') return renderNew(ctx);
  return renderCircle(ctx);
}

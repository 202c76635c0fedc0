/* pages/matching.js: matching, for learners, guides and program administrators.
 *
 *   #/matching                  the programs where I am a learner or a guide
 *   #/matching/:id              my profile; my suggestions (learner); requests to me (guide)
 *                               GET/PUT /programs/{id}/profile, GET /programs/{id}/suggestions,
 *                               POST /programs/{id}/match-requests, GET /match-requests
 *   #/programs/:id/matching     the administrator's settings and runs
 *                               GET/PUT /programs/{id}/matching-settings, POST/GET .../matching-runs
 *   #/matching-runs/:id         a run: the draft with explanations, unmatched learners and why,
 *                               lock, exclude, re-run, publish
 *
 * Attributes, wishes and blocks are the person's own: they appear on their profile only, and
 * nobody else's page asks for them (the API would not give them).
 */
import { programNav } from './admin.js';
import { api, session } from '../api.js';
import { h, replace, form, field, section, subsection, button, badge, time, announce, empty, dl, loading, errorBox } from '../ui.js';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const REASONS = {
  capacity: 'every guide who fits is full',
  self: 'the same person',
  blocked: 'a private block',
  conflict_of_interest: 'a manager in the reporting line',
  past_incident: 'a past relationship ended after an incident',
  excluded: 'excluded by the administrator',
  not_taking_new: 'not taking new learners',
  no_shared_language: 'no shared language',
  too_little_overlap: 'too little time in common each week',
};
const EXIT = [['topics', 'The topics'], ['availability', 'Our availability'], ['style', 'The way of working'], ['chemistry', 'The chemistry']];
const PARTS = ['topics', 'availability', 'language', 'attributes', 'experience'];

/* "Mon 09:00-12:00" lines <-> [{start, end}] in minutes of the week (UTC). */
function windowText(w) {
  const hm = (m) => `${String(Math.floor((m % 1440) / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${DAYS[Math.floor(w.start / 1440)]} ${hm(w.start)}-${hm(w.end === 10080 ? 10079 : w.end)}`;
}
function parseWindows(lines) {
  return (lines || []).map((line) => {
    const m = /^(\w{3})\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(line.trim());
    const day = m ? DAYS.findIndex((d) => d.toLowerCase() === m[1].toLowerCase()) : -1;
    if (day < 0) return { start: -1, end: -1 };
    return { start: day * 1440 + Number(m[2]) * 60 + Number(m[3]), end: day * 1440 + Number(m[4]) * 60 + Number(m[5]) };
  });
}

function myPrograms() {
  const me = session.me || {};
  const seen = new Map();
  for (const p of me.programs || []) {
    if (p.role !== 'learner' && p.role !== 'guide') continue;
    const got = seen.get(p.id) || { ...p, roles: [] };
    got.roles.push(p.role);
    seen.set(p.id, got);
  }
  return [...seen.values()];
}


async function listPage(ctx) {
  const mine = myPrograms();
  replace(ctx.main, h('h1', null, 'Matching'),
    mine.length ? h('ul', { class: 'items' }, mine.map((p) => h('li', { class: 'row' },
      h('a', { href: `#/matching/${p.id}` }, p.name), ' ', p.roles.map((r) => badge(r)))))
      : empty('You are not a learner or guide in any program.'));
}

function profileForm(id, prof, topics, attrs, onSaved) {
  const topicOpts = topics.map((t) => [t.id, t.name]);
  const fields = [
    field({ name: 'languages', label: 'Languages you can work in', type: 'list', value: prof.languages,
      hint: 'Codes such as en, fr, pt-br, separated by commas; the first is the one you prefer.' }),
    field({ name: 'time_zone', label: 'Time zone', value: prof.time_zone, hint: 'Such as Europe/Paris.' }),
    field({ name: 'windows', label: 'When you are free each week (UTC)', type: 'list', rows: 3,
      value: (prof.windows || []).map(windowText), hint: 'One window a line, such as "Mon 09:00-12:00".' }),
    field({ name: 'about', label: 'About me', type: 'textarea', rows: 3, value: prof.about }),
  ];
  if (prof.learner) {
    for (let i = 0; i < 5; i++) {
      fields.push(field({ name: `want${i}`, pointer: `/wants/${i}`, label: `What you want to grow in: choice ${i + 1}`,
        type: 'select', numeric: true, options: topicOpts, value: (prof.wants || [])[i] }));
    }
  }
  if (prof.guide) {
    fields.push(h('fieldset', { class: 'field checks' }, h('legend', null, 'What you offer'),
      topics.map((t) => field({ name: `offer${t.id}`, label: t.name, type: 'checkbox',
        value: (prof.offers || []).includes(t.id) }))));
    fields.push(field({ name: 'capacity', label: 'Most learners at once', type: 'number', min: 0, max: 50, value: prof.capacity }));
    fields.push(field({ name: 'taking_new', label: 'I take new learners now', type: 'checkbox', value: prof.taking_new }));
  }
  const mineAttrs = new Map((prof.attributes || []).map((a) => [a.attribute_id, a]));
  if (attrs.length) {
    fields.push(h('p', { class: 'hint' }, 'Optional. Only the matcher uses these: nobody else, not even the administrators, sees them.'));
    attrs.forEach((a, i) => {
      const cur = mineAttrs.get(a.id) || {};
      fields.push(field({ name: `attr${a.id}`, pointer: `/attributes/${i}/value`, label: `Your ${a.name}`, value: cur.value }));
      if (prof.learner) {
        fields.push(field({ name: `wish${a.id}`, pointer: `/attributes/${i}/wish`, label: `A guide's ${a.name}`, type: 'select', required: true,
          options: [['none', 'No preference'], ['similar', 'Similar to mine'], ['different', 'Different from mine']], value: cur.wish || 'none' }));
      }
    });
  }
  return form({
    label: 'My matching profile', submit: 'Save my profile', fields,
    onSubmit: async (v) => {
      const body = { languages: v.languages || [], time_zone: v.time_zone || 'UTC', about: v.about || '',
        windows: parseWindows(v.windows) };
      if (prof.learner) body.wants = [0, 1, 2, 3, 4].map((i) => v[`want${i}`]).filter((x) => x !== undefined);
      if (prof.guide) {
        body.offers = topics.filter((t) => v[`offer${t.id}`]).map((t) => t.id);
        if (v.capacity !== undefined) body.capacity = v.capacity;
        body.taking_new = !!v.taking_new;
      }
      if (attrs.length) {
        body.attributes = attrs.map((a) => ({ attribute_id: a.id, ...(v[`attr${a.id}`] ? { value: v[`attr${a.id}`] } : {}),
          wish: prof.learner ? (v[`wish${a.id}`] || 'none') : 'none' }));
      }
      const saved = await api.put(`/programs/${id}/profile`, body);
      announce('Your profile is saved.');
      onSaved(saved);
    },
  });
}

function suggestionItem(id, s, onAsked) {
  return h('li', { class: 'card' },
    h('div', { class: 'item-head' }, h('h3', null, s.name), badge(`Score ${s.score} of 100`, 'ok')),
    h('p', { class: 'item-text' }, s.why),
    s.about ? h('p', { class: 'muted' }, s.about) : null,
    h('div', { class: 'actions' }, button(`Ask ${s.name}`, async () => {
      await api.post(`/programs/${id}/match-requests`, { guide_id: s.guide_id });
      announce(`You asked ${s.name}. They have a few days to answer.`);
      await onAsked();
    })));
}

function requestItem(q, me, onChanged) {
  const mineToAnswer = q.state === 'pending' && q.guide_id === me;
  const mineToWithdraw = q.state === 'pending' && q.learner_id === me;
  const who = q.guide_id === me ? `${q.learner_name} asked you` : `You asked ${q.guide_name}`;
  const act = (verb, label) => button(label, async () => {
    await api.post(`/match-requests/${q.id}/${verb}`, {});
    announce(`Request ${verb === 'accept' ? 'accepted' : verb === 'decline' ? 'declined' : 'withdrawn'}.`);
    await onChanged();
  });
  return h('li', { class: mineToAnswer ? 'row attention' : 'row' },
    h('span', { class: 'row-main' }, who, ' ', time(q.created_at)),
    h('span', { class: 'row-side' }, badge(q.state, q.state === 'pending' ? 'warn' : null),
      q.state === 'pending' ? [' answer by ', time(q.due_at)] : null,
      mineToAnswer ? [' ', act('accept', `Accept ${q.learner_name}`), ' ', act('decline', `Decline ${q.learner_name}`)] : null,
      mineToWithdraw ? [' ', act('withdraw', 'Withdraw')] : null,
      q.relationship_id ? [' ', h('a', { href: `#/relationships/${q.relationship_id}` }, 'Open the relationship')] : null));
}

async function memberPage(ctx) {
  const id = Number(ctx.params.id);
  const [prog, prof, topics, attrs] = await Promise.all([api.get(`/programs/${id}`), api.get(`/programs/${id}/profile`),
    api.get(`/programs/${id}/topics`), api.get(`/programs/${id}/attributes`)]);
  if (ctx.signal.aborted) return;
  ctx.setTitle(`Matching: ${prog.name}`);
  const me = session.me.person.id;
  const sugg = h('div');
  const reqs = h('div');
  async function drawRequests() {
    const all = (await api.get('/match-requests', { limit: 100 })).items.filter((q) => q.program_id === id);
    replace(reqs, all.length ? h('ul', { class: 'items' }, all.reverse().map((q) => requestItem(q, me, refresh)))
      : empty('No requests yet.'));
  }
  async function drawSuggestions() {
    if (!prof.learner) return;
    const got = (await api.get(`/programs/${id}/suggestions`)).items;
    replace(sugg, got.length ? h('ol', { class: 'items' }, got.map((s) => suggestionItem(id, s, refresh)))
      : empty('No guide fits your profile and has a place right now.'));
  }
  async function refresh() { await Promise.all([drawSuggestions(), drawRequests()]); }
  const rels = (await api.get('/relationships', { limit: 100 })).items
    .filter((r) => r.program_id === id && r.learner_id === me && ['completed', 'alumni', 'ended'].includes(r.state));
  const exits = rels.map((r) => subsection(`Your relationship ${r.id} (${r.state})`, form({
    label: `What did not fit in relationship ${r.id}`, submit: 'Save my answer',
    fields: [h('fieldset', { class: 'field checks' }, h('legend', null, 'What did not fit? Only you see this; it shapes your next suggestions.'),
      EXIT.map(([k, l]) => field({ name: `exit_${k}`, label: l, type: 'checkbox' })))],
    onSubmit: async (v) => {
      await api.put(`/relationships/${r.id}/exit-answer`, { reasons: EXIT.map(([k]) => k).filter((k) => v[`exit_${k}`]) });
      announce('Thank you: your next suggestions take it into account.');
      await refresh();
    },
  })));
  const profSection = subsection('My profile', profileForm(id, prof, topics.items, attrs.items, () => refresh()));
  replace(ctx.main, h('h1', null, `Matching in ${prog.name}`),
    prof.learner ? section('My suggestions', h('p', { class: 'muted' }, 'The five guides who fit you best and have a place, with why.'), sugg) : null,
    section(prof.guide ? 'Requests to me and mine' : 'My requests', reqs),
    exits.length ? section('After a relationship ended', exits) : null,
    section('My profile and preferences', profSection));
  await refresh();
}

/* ---- the administrator ---- */

async function adminPage(ctx) {
  const id = Number(ctx.params.id);
  const [prog, settings] = await Promise.all([api.get(`/programs/${id}`), api.get(`/programs/${id}/matching-settings`)]);
  if (ctx.signal.aborted) return;
  ctx.setTitle(`Matching: ${prog.name}`);
  const runs = h('div');
  async function drawRuns() {
    const all = (await api.get(`/programs/${id}/matching-runs`, { limit: 100 })).items.reverse();
    replace(runs, all.length ? h('ul', { class: 'items' }, all.map((r) => h('li', { class: 'row' },
      h('a', { href: `#/matching-runs/${r.id}` }, `Run ${r.id}`), ' ', badge(r.state), ' ', badge(r.mode), ' ', time(r.created_at))))
      : empty('No runs yet.'));
  }
  const weights = PARTS.map((p) => field({ name: `w_${p}`, pointer: `/weights/${p}`, label: `Weight of ${p}`, type: 'number', min: 0, max: 100, value: settings.weights[p] }));
  const setForm = form({
    label: 'Matching settings', submit: 'Save the settings',
    fields: [...weights,
      field({ name: 'min_overlap_minutes', label: 'Least time in common each week (minutes)', type: 'number', min: 0, max: 2400, value: settings.min_overlap_minutes }),
      field({ name: 'mode', label: 'What the optimiser favours', type: 'select', required: true,
        options: [['total', 'The best total'], ['fairness', 'Fairness: the lowest score as high as it goes, then the total']], value: settings.mode }),
      field({ name: 'request_window_hours', label: 'Hours a guide has to answer a request', type: 'number', min: 1, max: 720, value: settings.request_window_hours })],
    onSubmit: async (v) => {
      const body = { weights: {}, min_overlap_minutes: v.min_overlap_minutes, mode: v.mode, request_window_hours: v.request_window_hours };
      for (const p of PARTS) body.weights[p] = v[`w_${p}`];
      await api.put(`/programs/${id}/matching-settings`, body);
      announce('Settings saved.');
    },
  });
  replace(ctx.main, h('h1', null, `Matching in ${prog.name}`),
    programNav(id, `/programs/${id}/matching`),
    section('Runs', h('div', { class: 'actions' }, button('Run the matcher', async () => {
      const run = await api.post(`/programs/${id}/matching-runs`, {});
      announce(`Run ${run.id}: ${run.summary.matched} of ${run.summary.learners} learners matched.`);
      location.hash = `#/matching-runs/${run.id}`;
    }, { cls: 'primary' })), runs),
    section('Settings', setForm));
  await drawRuns();
}

function summary(run) {
  const s = run.summary;
  return dl([['Learners', String(s.learners)], ['Matched', String(s.matched)], ['Unmatched', String(s.unmatched)],
    ['Total score', String(s.total)], ['Lowest score', s.matched ? String(s.minimum) : null],
    ['A first-come pass would total', String(s.greedy_total)],
    ['Blocking pairs (both would rather have each other)', String(s.blocking_pairs)],
    ['Scores', Object.entries(s.distribution).map(([b, n]) => `${b}: ${n}`).join(', ')]]);
}

async function runPage(ctx) {
  const rid = Number(ctx.params.id);
  let run = await api.get(`/matching-runs/${rid}`);
  if (ctx.signal.aborted) return;
  ctx.setTitle(`Matching run ${rid}`);
  const draft = () => run.state === 'draft';
  async function act(path, body, said) {
    run = await api.post(`/matching-runs/${rid}/${path}`, body || {});
    announce(said);
    draw();
  }
  function pairItem(p) {
    return h('li', { class: 'card' },
      h('div', { class: 'item-head' }, h('h3', null, `${p.learner_name} with ${p.guide_name}`),
        badge(`Score ${p.score}`, 'ok'), p.locked ? [' ', badge('locked')] : null),
      h('p', { class: 'item-text' }, p.why),
      draft() ? h('div', { class: 'actions' },
        button(p.locked ? `Unlock ${p.learner_name}` : `Lock ${p.learner_name} with ${p.guide_name}`,
          () => act('lock', { learner_id: p.learner_id, guide_id: p.guide_id, locked: !p.locked }, p.locked ? 'Unlocked.' : 'Locked.')),
        ' ', button(`Exclude ${p.learner_name} with ${p.guide_name}`,
          () => act('exclude', { learner_id: p.learner_id, guide_id: p.guide_id }, 'Excluded; re-run to fill the place.'))) : null);
  }
  function draw() {
    replace(ctx.main, h('h1', null, `Matching run ${rid}`),
      h('p', null, badge(run.state), ' ', badge(run.mode), ' solved ', time(run.solved_at)),
      section('Summary', summary(run)),
      draft() ? h('div', { class: 'actions' },
        button('Re-run, keeping locked pairs', () => act('rerun', {}, 'Solved again.')), ' ',
        button('Publish as proposed relationships', async () => {
          run = await api.post(`/matching-runs/${rid}/publish`, {});
          announce(`${run.published} relationships proposed.`);
          draw();
        }, { cls: 'primary' })) : null,
      section('The draft', run.pairs.length ? h('ul', { class: 'items' }, run.pairs.map(pairItem)) : empty('No pairs.')),
      section('Unmatched learners and why', run.unmatched.length ? h('ul', { class: 'items' }, run.unmatched.map((u) =>
        h('li', { class: 'row' }, h('span', { class: 'row-main' }, u.name), h('span', { class: 'row-side' }, REASONS[u.reason] || u.reason))))
        : empty('Every learner has a guide.')));
  }
  draw();
}

export async function render(ctx) {
  const path = ctx.route.path;
  ctx.main.setAttribute('aria-busy', 'true');
  replace(ctx.main, loading());
  try {
    if (path === '/matching') await listPage(ctx);
    else if (path === '/matching/:id') await memberPage(ctx);
    else if (path === '/programs/:id/matching') await adminPage(ctx);
    else await runPage(ctx);
  } catch (err) {
    replace(ctx.main, h('h1', null, 'Matching'), errorBox(err));
  } finally {
    ctx.main.removeAttribute('aria-busy');
  }
  return undefined;
}

/* pages/feedback360.js: 360-degree feedback.
 *   #/feedback360             my requests, asking for feedback, and what others asked of me
 *   #/feedback360/:id         one of my requests: raters, deadline, closing, sharing
 *   #/feedback360/:id/report  the report (mine, or one my learner shared with me)
 *   #/feedback360/:id/rate    answering as a member
 *   #/rate/:token, #/rate     answering as an outside rater through the one-time link of
 *                             their mail: the token is taken into memory and removed from
 *                             the address bar.
 * Raters are never shown who else answered; the requester never sees who answered or
 * declined, and no figure before the request closes. */
import { api, session } from '../api.js';
import { h, replace, form, field, announce, section, subsection, time, badge, errorBox, loading, button, empty } from '../ui.js';

const SCALE = [['1', '1 Almost never'], ['2', '2 Rarely'], ['3', '3 Sometimes'], ['4', '4 Often'], ['5', '5 Almost always'], ['', "Can't say"]];
const GROUPS = [['peers', 'Peer'], ['colleagues', 'Colleague'], ['others', 'Other']];
const GROUP_TITLE = { all: 'Every rater', guide: 'Guide', peers: 'Peers', colleagues: 'Colleagues', others: 'Others' };
let linkToken = null; /* an outside rater's token, in memory only */

function ratingFields(items, about) {
  return items.map((it, i) => field({ name: `r-${i}`, pointer: `/ratings/${i}`, type: 'radio', numeric: true,
    label: `${about} ${it.statement}.`, options: SCALE, required: false, cls: 'scale' }));
}

/* {ratings: {"0": 4, ...}} from the form into [4, null, ...]. */
function ratingsOf(v, n) {
  const r = v.ratings || {};
  return Array.from({ length: n }, (_, i) => (r[String(i)] === undefined ? null : r[String(i)]));
}

function figure(x) {
  if (!x || x.suppressed) return h('span', { class: 'muted' }, x && x.reason === 'complementary' ? 'hidden (protects a small group)' : 'hidden (fewer than k raters)');
  return h('strong', null, x.mean.toFixed(2));
}

export async function render(ctx) {
  const p = ctx.route.path;
  if (p === '/rate/:token' || p === '/rate') return outside(ctx);
  if (p === '/feedback360/:id/report') return report(ctx);
  if (p === '/feedback360/:id/rate') return rate(ctx);
  if (p === '/feedback360/:id') return request(ctx);
  return home(ctx);
}

async function home(ctx) {
  const me = ctx.me;
  const programs = (me.programs || []).filter((x) => x.role !== 'admin');
  const mine = h('div', null, loading());
  const asked = h('div', null, loading());
  replace(ctx.main,
    h('h1', null, '360 feedback'),
    h('p', { class: 'muted' }, 'Ask several people how they see you. You see answers only per group of at least three raters, after your deadline; nobody learns who answered or declined.'),
    section('What others asked of me', asked),
    section('My requests', mine),
    programs.length ? section('Ask for feedback', askForm(programs, me)) : null);
  try {
    const list = await api.get('/feedback360');
    replace(mine, list.items.length ? h('ul', { class: 'items', 'aria-label': 'My requests' }, list.items.map((r) =>
      h('li', null, h('div', { class: 'item-head' },
        h('h3', null, h('a', { href: `#/feedback360/${r.id}` }, 'Request of '), time(r.created_at, false)),
        badge(r.state === 'closed' ? 'Report ready' : 'Open', r.state === 'closed' ? 'ok' : 'info')),
      h('p', { class: 'item-meta' }, `${r.raters_asked} raters asked; deadline `, time(r.deadline))))) : empty('You have not asked for 360 feedback yet.'));
  } catch (err) { replace(mine, errorBox(err)); }
  try {
    const list = await api.get('/rater/feedback360');
    replace(asked, list.items.length ? h('ul', { class: 'items', 'aria-label': 'Asked of me' }, list.items.map((a) =>
      h('li', null, h('div', { class: 'item-head' },
        h('h3', null, `${a.requester} asks for your feedback`),
        badge(a.state === 'invited' && a.open ? 'Waiting for you' : a.state, a.state === 'invited' && a.open ? 'warn' : 'info')),
      h('p', { class: 'item-text' }, a.purpose),
      a.state === 'invited' && a.open ? h('p', null, h('a', { href: `#/feedback360/${a.id}/rate` }, 'Answer or decline')) : null))) : empty('Nobody has asked you for feedback.'));
  } catch (err) { replace(asked, errorBox(err)); }
  return undefined;
}

/* The members of my circles, each a checkbox: picked, they are asked as peers. */
function circlePeers(me) {
  const box = h('div', null, loading());
  api.all('/circles').then(async (circles) => {
    const rows = [];
    for (const c of circles) {
      const full = await api.get(`/circles/${c.id}`);
      const mineNow = full.members.some((m) => m.person_id === me.person.id && m.accepted && !m.left_at);
      if (!mineNow) continue;
      for (const m of full.members) {
        if (m.person_id === me.person.id || !m.accepted || m.left_at || !m.name) continue;
        rows.push(field({ name: `peer-${c.id}-${m.person_id}`, pointer: `/peers/${c.id}-${m.person_id}`, type: 'checkbox',
          label: `${m.name} (circle "${c.name}")` }));
      }
    }
    replace(box, rows.length ? h('fieldset', { class: 'field' }, h('legend', null, 'Peers from your circles'),
      h('p', { class: 'hint' }, 'Those you tick are asked as peers: circles of the program you ask in.'), rows)
      : h('p', { class: 'muted' }, 'You are in no circle: no peers to pick from one.'));
  }).catch((err) => replace(box, errorBox(err)));
  return box;
}

function askForm(programs, me) {
  const soon = new Date(Date.now() + 14 * 86400e3).toISOString();
  return form({
    label: 'Ask for feedback',
    submit: 'Send the request',
    fields: [
      field({ name: 'program_id', label: 'Program', type: 'select', numeric: true, required: true, options: programs.map((x) => [x.id, x.name]), value: programs[0].id }),
      field({ name: 'purpose', label: 'Why you ask (raters read this)', type: 'textarea', required: true, rows: 3 }),
      field({ name: 'deadline', label: 'Deadline', type: 'datetime', required: true, value: soon, hint: 'Between one day and 90 days from now. The report is ready then.' }),
      field({ name: 'emails', pointer: '/emails', label: 'Raters in your program: their e-mail addresses, one per line', type: 'textarea', rows: 4, required: false, hint: 'Your guide is always in the group "guide". Others are peers.' }),
      circlePeers(me),
      field({ name: 'outside', pointer: '/outside_emails', label: 'Outside raters: their e-mail addresses, one per line', type: 'textarea', rows: 3, required: false,
        hint: 'Rapport mails each a one-time link. You never see the link, so nobody can answer in their place or tell whether they answered. They are colleagues.' }),
      h('p', null, 'Rate yourself on the same items:'),
      ratingFields(ITEMS_SELF, 'I'),
    ],
    onSubmit: async (v) => {
      const lines = (x) => String(x || '').split(/\s+/).filter(Boolean);
      const peers = Object.entries(v.peers || {}).filter(([, on]) => on).map(([k]) => k.split('-').map(Number))
        .map(([circle, person]) => ({ person_id: person, circle_id: circle }));
      const body = { program_id: v.program_id, purpose: v.purpose, deadline: v.deadline,
        self: ratingsOf(v, 7), raters: [...lines(v.emails).map((e) => ({ email: e })), ...peers],
        outside: lines(v.outside_emails).map((e) => ({ email: e, group: 'colleagues' })) };
      const out = await api.post('/feedback360', body);
      session.freshMailed = out.mailed || [];
      announce('Your request is sent.');
      location.hash = `#/feedback360/${out.id}`;
    },
  });
}

/* The items as the self-assessment words them ("I follow through ..."). */
const ITEMS_SELF = [
  { statement: 'follow through on what I say I will do' },
  { statement: 'reply within the time I agreed' },
  { statement: 'am straight with people, even when it is uncomfortable' },
  { statement: 'keep what is shared with me in confidence' },
  { statement: 'help others move forward on their goals' },
  { statement: 'try to understand a situation before advising' },
  { statement: 'make it safe to raise a concern or disagree' },
];

async function request(ctx) {
  const id = ctx.params.id;
  let r;
  try { r = await api.get(`/feedback360/${id}`); } catch (err) { replace(ctx.main, errorBox(err)); return undefined; }
  const mailed = session.freshMailed || [];
  session.freshMailed = null;
  const box = h('div');
  function draw() {
    replace(box,
      h('h1', null, '360 feedback request'),
      h('p', { class: 'item-text' }, r.purpose),
      h('p', null, r.state === 'closed' ? ['Closed ', time(r.closed_at), '. ', h('a', { href: `#/feedback360/${r.id}/report` }, 'Read the report')]
        : ['Open until ', time(r.deadline), '. You will not see who answers or declines, nor any answer, before then.']),
      mailed.length ? subsection('Outside raters',
        h('p', { class: 'notice' }, 'Each of them is mailed a one-time link: ', mailed.map((m) => m.email).join(', '), '.')) : null,
      subsection('Who you asked', h('ul', { class: 'plain' }, r.raters.map((x) =>
        h('li', null, x.outside ? 'An outside rater' : x.name, ' ', badge(x.group, 'info'))))),
      r.state === 'open' ? subsection('Deadline', form({
        label: 'Change the deadline', submit: 'Change the deadline',
        fields: [field({ name: 'deadline', label: 'New deadline', type: 'datetime', required: true, value: r.deadline })],
        onSubmit: async (v) => { r = await api.post(`/feedback360/${r.id}/deadline`, v); announce('Deadline changed.'); draw(); },
      }), button('Close now and build the report', async () => {
        r = await api.post(`/feedback360/${r.id}/close`, {}); announce('The report is ready.'); draw();
      })) : null,
      r.state === 'closed' ? subsection('Sharing', r.shared_with
        ? [h('p', null, `Shared with your guide ${r.shared_with}.`), button('Withdraw sharing', async () => {
          r = await api.del(`/feedback360/${r.id}/share`); announce('Sharing withdrawn.'); draw();
        })]
        : shareForm()) : null);
  }
  function shareForm() {
    const holder = h('div', null, loading());
    api.get('/relationships').then((page) => {
      const mine = page.items.filter((x) => x.learner_id === ctx.me.person.id);
      replace(holder, mine.length ? form({
        label: 'Share with your guide', submit: 'Share the report',
        fields: [field({ name: 'relationship_id', label: 'With the guide of', type: 'select', numeric: true, required: true,
          options: mine.map((x) => [x.id, x.other_name || x.guide_name || `Relationship ${x.id}`]), value: mine[0].id })],
        onSubmit: async (v) => { r = await api.put(`/feedback360/${r.id}/share`, v); announce('Shared with your guide.'); draw(); },
      }) : h('p', { class: 'muted' }, 'You have no guide to share it with.'));
    }).catch((err) => replace(holder, errorBox(err)));
    return holder;
  }
  draw();
  replace(ctx.main, box);
  return undefined;
}

async function report(ctx) {
  let rep;
  try { rep = await api.get(`/feedback360/${ctx.params.id}/report`); } catch (err) { replace(ctx.main, errorBox(err)); return undefined; }
  const byCode = Object.fromEntries(rep.items.map((i) => [i.code, i]));
  const open = rep.open_answers;
  replace(ctx.main,
    h('h1', null, '360 feedback report'),
    h('p', { class: 'muted' }, `Groups are shown only with at least ${rep.k} raters; smaller ones are merged into "others", and a group is hidden too when it would let a hidden one be worked out.`),
    section('Ratings by group', rep.groups.map((g) => subsection(GROUP_TITLE[g.group] || g.group,
      g.merged_into ? h('p', { class: 'muted' }, 'Too few raters: merged into others.') : [
        g.answers ? h('p', { class: 'item-meta' }, `${g.answers} raters`) : null,
        h('ul', { class: 'plain' }, g.items.map((x) => h('li', null, `${byCode[x.code].statement}: `, figure(x))))]))),
    rep.signed.length ? section('Signed by your guide', rep.signed.map((s) => h('div', null,
      h('p', null, h('strong', null, s.name)),
      h('ul', { class: 'plain' }, s.ratings.map((x, i) => h('li', null, `${rep.items[i].statement}: `, x === null ? "can't say" : String(x)))),
      s.keep ? h('p', null, 'Keep doing: ', s.keep) : null, s.change ? h('p', null, 'Do differently: ', s.change) : null))) : null,
    section('You and the others', rep.gaps.length ? h('ul', { class: 'plain' }, rep.gaps.map((g) =>
      h('li', null, `${byCode[g.code].statement}: you ${g.self}, others ${g.others.toFixed(2)} (gap ${g.gap > 0 ? '+' : ''}${g.gap.toFixed(2)})`)))
      : h('p', { class: 'muted' }, 'No item has enough raters to compare.')),
    section('In their words', open.suppressed ? h('p', { class: 'muted' }, 'Fewer than three raters answered: their words stay hidden.') : [
      subsection('What to keep doing', h('ul', null, open.keep.map((t) => h('li', null, t)))),
      subsection('What to do differently', h('ul', null, open.change.map((t) => h('li', null, t))))]),
    section('Reflection', rep.reflection.length ? rep.reflection.map((x) => subsection(x.practice.title,
      h('p', null, `For "${x.statement}": `, x.practice.summary),
      h('ul', null, x.practice.questions.map((q) => h('li', null, q))),
      h('p', null, h('a', { href: `#/practices/${x.practice.id}` }, 'Open the practice')))) : h('p', { class: 'muted' }, 'No item is low enough to suggest a practice.')));
  return undefined;
}

function answerForm(ask, post, decline, done) {
  return [
    h('h1', null, `${ask.requester} asks for your feedback`),
    h('p', { class: 'item-text' }, ask.purpose),
    h('p', { class: 'muted' }, 'Your name is never shown with your answers, and nobody learns whether you declined. Answers are shown only per group of at least three raters, after ', time(ask.deadline), '.'),
    form({
      label: 'Your feedback', submit: 'Send my feedback',
      fields: [
        ratingFields(ask.items, `${ask.requester}`),
        field({ name: 'keep', label: 'What should they keep doing?', type: 'textarea', rows: 3, required: false }),
        field({ name: 'change', label: 'What could they do differently?', type: 'textarea', rows: 3, required: false }),
        ask.may_sign ? field({ name: 'sign', label: 'Sign my answers as their guide (they will see they are mine)', type: 'checkbox' }) : null,
      ],
      onSubmit: async (v) => {
        const body = { ratings: ratingsOf(v, ask.items.length), keep: v.keep || undefined, change: v.change || undefined };
        if (ask.may_sign) body.sign = !!v.sign;
        await post(body);
        done('Thank you: your feedback is in.');
      },
    }),
    h('p', null, button('Decline', async () => { await decline(); done('You declined. Nobody will know.'); }, { cls: 'secondary' })),
  ];
}

async function rate(ctx) {
  const id = ctx.params.id;
  let ask;
  try { ask = await api.get(`/rater/feedback360/${id}`); } catch (err) { replace(ctx.main, errorBox(err)); return undefined; }
  const done = (msg) => { announce(msg); replace(ctx.main, h('h1', null, 'Thank you'), h('p', { role: 'status' }, msg), h('p', null, h('a', { href: '#/feedback360' }, 'Back to 360 feedback'))); };
  if (ask.state !== 'invited' || !ask.open) { replace(ctx.main, h('h1', null, 'Feedback'), h('p', null, 'This request no longer waits for you.')); return undefined; }
  replace(ctx.main, ...answerForm(ask, (b) => api.post(`/rater/feedback360/${id}/answer`, b),
    () => api.post(`/rater/feedback360/${id}/decline`, {}), done));
  return undefined;
}

async function outside(ctx) {
  if (ctx.params && ctx.params.token) {
    linkToken = ctx.params.token;
    history.replaceState(null, '', '/#/rate');
  }
  const done = (msg) => { announce(msg); replace(ctx.main, h('h1', null, 'Thank you'), h('p', { role: 'status' }, msg)); };
  if (!linkToken) { replace(ctx.main, h('h1', null, 'Give feedback'), h('p', null, 'Open the link of the mail you were sent. Each link works for one person.')); return undefined; }
  let ask;
  try { ask = await api.post('/feedback360-link', { token: linkToken }); } catch (err) { replace(ctx.main, h('h1', null, 'Give feedback'), errorBox(err)); return undefined; }
  if (ask.state !== 'invited' || !ask.open) { replace(ctx.main, h('h1', null, 'Give feedback'), h('p', null, 'This link has been used, or the request has closed.')); return undefined; }
  const token = linkToken;
  replace(ctx.main, ...answerForm(ask, (b) => api.post('/feedback360-link/answer', { token, ...b }),
    () => api.post('/feedback360-link/decline', { token }), (m) => { linkToken = null; done(m); }));
  return undefined;
}

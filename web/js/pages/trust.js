/* trust.js: a relationship's trust profile (the "Trust" tab).
 *
 * GET /relationships/{id}/trust     both directions: index, label, uncertainty, trend,
 *                                   the four components with their intervals and evidence
 * GET /relationships/{id}/warnings  the early warnings and the practice that helps
 * GET /relationships/{id}/trust/history?points=N  the index of each direction worked out at N
 *                                   moments from the proposal to now (the chart and its table)
 * GET /practices                    the practices' reflection questions
 *
 * Everything is drawn with DOM APIs (SVG through createElementNS), colours and sizes
 * come from classes in css/insights.css: no inline style (CSP).
 */
import { api } from '../api.js';
import { h, replace, loading, errorBox, empty, fmtDate, time, badge, section, disclosure } from '../ui.js';

export const COMPONENTS = {
  REL: ['Reliability', 'does what they said, when they said; shows up; replies in the agreed time'],
  INT: ['Integrity', 'honest and transparent; keeps confidences; renegotiates rather than silently missing'],
  COM: ['Competence', 'their input moves the goals forward'],
  EMP: ['Empathy', 'understands before advising; feedback is balanced and two-way; safe to disagree'],
};

export const WARNING_WORDS = {
  CADENCE_GAP: 'Check-ins are further apart than you agreed.',
  LATE_CANCELLATIONS: 'Several recent check-ins were cancelled late or missed.',
  FOLLOW_THROUGH: 'Commitments are not being kept as agreed.',
  SLOW_REPLIES: 'Replies take longer than the reply window you agreed.',
  CRITICISM_HEAVY: 'Feedback has been mostly critical lately.',
  NO_CONSTRUCTIVE: 'There has been no constructive feedback for a while.',
  ONE_WAY_FEEDBACK: 'Feedback flows one way only.',
  SAFETY_DOUBT: 'A recent pulse said it may not feel safe to speak openly.',
  PULSE_DROP: 'The pulse answers dropped markedly.',
  INCIDENT: 'An incident has been reported and is not resolved yet.',
  NO_AGREEMENT: 'There is no agreement that you have both acknowledged.',
  NO_GOALS: 'There are no SMART goals yet, or a goal misses some of its SMART fields.',
  PERCEPTION_GAP: 'What the pulses say and what the record shows differ.',
  ONE_SIDED_DRIFT: 'Trust is slipping in one direction only.',
  DECLINING: 'Trust has been declining.',
};

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

export function uncertaintyWords(u) {
  if (u < 0.15) return 'fairly certain: there is plenty of recent evidence';
  if (u < 0.3) return 'somewhat uncertain: more evidence would sharpen it';
  if (u < 0.5) return 'uncertain: there is little evidence so far';
  return 'very uncertain: there is hardly any evidence yet';
}

export function trendWords(t, declining) {
  if (declining || t < -0.1) return 'declining';
  if (t < -0.02) return 'slipping a little';
  if (t > 0.05) return 'rising';
  if (t > 0.02) return 'rising a little';
  return 'steady';
}

function pct(x) { return Math.round(x * 100); }

/* Whom a direction is about, in the viewer's words. */
function aboutWords(d, rel) {
  const mine = rel.my_role;
  if (d.about === mine) return { title: `Trust in you (as ${mine})`, short: 'you' };
  return { title: `Trust in your ${d.about}`, short: `your ${d.about}` };
}

/* A bar from 0 to 100 with the interval [low, high] and a mark at p. */
function intervalBar(c, label) {
  const low = pct(c.low), high = pct(c.high), p = pct(c.p);
  return s('svg', { class: 'interval', viewBox: '0 0 100 12', preserveAspectRatio: 'none', role: 'img',
    'aria-label': `${label}: ${p} out of 100, likely between ${low} and ${high}` },
  s('rect', { class: 'interval-track', x: 0, y: 4, width: 100, height: 4, rx: 2 }),
  s('rect', { class: 'interval-range', x: low, y: 2, width: Math.max(high - low, 0.5), height: 8, rx: 2 }),
  s('rect', { class: 'interval-point', x: Math.min(Math.max(p - 0.6, 0), 98.8), y: 0, width: 1.2, height: 12 }));
}

function componentBlock(key, c) {
  const [name, what] = COMPONENTS[key];
  return h('li', { class: 'component' },
    h('div', { class: 'component-head' },
      h('h4', null, name),
      h('span', { class: 'component-figure' }, `${pct(c.p)} (likely ${pct(c.low)}–${pct(c.high)}), ${trendWords(c.trend)}`)),
    h('p', { class: 'hint' }, what),
    intervalBar(c, name),
    c.evidence && c.evidence.length
      ? h('ul', { class: 'evidence' }, c.evidence.map((ev) => h('li', null,
        h('span', { class: ['delta', ev.delta >= 0 ? 'up' : 'down'] }, ev.delta >= 0 ? 'helped' : 'weighed'),
        ' ', ev.sentence)))
      : h('p', { class: 'state empty' }, 'No evidence here yet.'));
}

/* The index over time: GET .../trust/history evaluates the trust engine at evenly spaced
 * times from the proposal to now, each from the evidence up to that time (the last point is
 * today's index). Points are joined by straight lines; the table beside it gives the figures. */
const HISTORY_POINTS = 24;

function indexWords(p) {
  return p.index === null || p.index === undefined ? 'not enough evidence yet' : `${p.index}`;
}

function historyTable(hist, rel) {
  const dirs = hist.directions;
  return h('table', { class: 'figures small' },
    h('caption', { class: 'visually-hidden' }, 'Trust index at each point of the chart'),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Date'),
      dirs.map((d) => h('th', { scope: 'col' }, aboutWords(d, rel).title)))),
    h('tbody', null, dirs[0].items.map((p, i) => h('tr', null,
      h('th', { scope: 'row' }, i === dirs[0].items.length - 1 ? 'Today' : fmtDate(p.at)),
      dirs.map((d) => {
        const q = d.items[i];
        return h('td', null, `${indexWords(q)} (likely ${Math.round(q.lower)}–${Math.round(q.upper)})`);
      })))));
}

function summary(d, rel) {
  const pts = d.items, a = pts[0], z = pts[pts.length - 1];
  const known = pts.find((p) => p.index !== null && p.index !== undefined);
  const from = known && known !== z
    ? `from ${known.index} on ${fmtDate(known.at)} to ${indexWords(z)} today`
    : `${indexWords(z)} today`;
  return `${aboutWords(d, rel).title}: ${from}` + (known ? '' : ` (since ${fmtDate(a.at)})`) + '.';
}

function chart(hist, rel, width) {
  /* Drawn for the width it has, so that its labels keep their size on a phone. */
  const W = Math.round(Math.max(300, Math.min(720, width || 600))), H = W < 500 ? 200 : 240, L = 36, R = 10, T = 12, B = 28;
  const dirs = hist.directions;
  const t0 = new Date(hist.start).getTime();
  const t1 = Math.max(new Date(hist.at).getTime(), t0 + 1000);
  const x = (t) => L + ((new Date(t).getTime() - t0) / (t1 - t0)) * (W - L - R);
  const y = (v) => T + (1 - Math.min(100, Math.max(0, v)) / 100) * (H - T - B);
  const id = 'trust-chart-' + rel.id;
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': id + '-t ' + id + '-d' },
    s('title', { id: id + '-t' }, 'Trust index over time'),
    s('desc', { id: id + '-d' }, dirs.map((d) => summary(d, rel)).join(' ')));
  for (const v of [0, 25, 50, 75, 100]) {
    svg.appendChild(s('line', { class: 'grid', x1: L, x2: W - R, y1: y(v), y2: y(v) }));
    svg.appendChild(s('text', { class: 'axis', x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
  }
  svg.appendChild(s('text', { class: 'axis', x: L, y: H - 8 }, fmtDate(hist.start)));
  svg.appendChild(s('text', { class: 'axis', x: W - R, y: H - 8, 'text-anchor': 'end' }, 'today'));
  dirs.forEach((d, i) => {
    const path = d.items.map((p, k) => `${k ? 'L' : 'M'}${x(p.at).toFixed(1)},${y(p.index_value).toFixed(1)}`).join(' ');
    svg.appendChild(s('path', { class: `line line-${i}`, d: path }));
  });
  const legend = h('ul', { class: 'legend' }, dirs.map((d, i) =>
    h('li', null, h('span', { class: `swatch swatch-${i}`, 'aria-hidden': 'true' }), aboutWords(d, rel).title)));
  return h('figure', { class: 'chart-figure' }, svg, legend,
    h('figcaption', { class: 'hint' }, `The index worked out at ${dirs[0].items.length} moments from the start of the relationship to today, each from the evidence there was by then. While there is little evidence it stays near 50 (“not enough evidence yet”).`),
    disclosure('The figures behind the chart', historyTable(hist, rel)));
}

function direction(d, rel) {
  const who = aboutWords(d, rel);
  const figure = d.index === null ? 'Not enough evidence yet' : `${d.index} out of 100`;
  return h('article', { class: 'direction' },
    h('h3', null, who.title),
    h('p', { class: 'index' }, h('strong', { class: 'index-figure' }, figure), ' ',
      badge(d.label, d.label_code === 'established' ? 'ok' : d.label_code === 'provisional' ? 'warn' : null)),
    h('p', null, `This is ${uncertaintyWords(d.uncertainty)}. The trend is ${trendWords(d.trend, d.declining)}.`),
    d.int_capped ? h('p', { class: 'alert-inline' }, 'Integrity is capped for now after an acknowledged breach of confidence; it recovers as the repair plan is followed through.') : null,
    h('ul', { class: 'components' }, Object.keys(COMPONENTS).map((k) => d.components[k] ? componentBlock(k, d.components[k]) : null)));
}

function partyWords(partyId, rel) {
  if (partyId === null || partyId === undefined) return 'about the two of you';
  const role = partyId === rel.guide_id ? 'guide' : partyId === rel.learner_id ? 'learner' : null;
  if (role === rel.my_role) return 'about you';
  return role ? `about your ${role}` : 'about a party';
}

function factText(v) {
  if (Array.isArray(v)) return `${v.length} item${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'number') return String(Math.round(v * 100) / 100);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return fmtDate(v);
  return v === null ? '—' : String(v);
}

function evidenceFacts(ev) {
  if (!ev || typeof ev !== 'object') return null;
  const rows = Object.entries(ev).filter(([, v]) => v === null || typeof v !== 'object' || Array.isArray(v));
  if (!rows.length) return null;
  return h('dl', { class: 'facts small' }, rows.map(([k, v]) => [
    h('dt', null, k.replace(/_/g, ' ')),
    h('dd', null, factText(v))]));
}

export function warningItem(w, rel, practices) {
  const pr = practices.find((p) => p.slug === w.practice);
  return h('li', { class: ['warning', 'sev-' + w.severity] },
    h('h3', { class: 'warning-title' }, badge(w.severity === 'alert' ? 'Alert' : 'Watch', w.severity === 'alert' ? 'bad' : 'warn'), ' ',
      WARNING_WORDS[w.code] || w.code),
    h('p', { class: 'muted' }, `${partyWords(w.party, rel)[0].toUpperCase()}${partyWords(w.party, rel).slice(1)}; since ${fmtDate(w.since)}; ${(w.components || []).map((c) => (COMPONENTS[c] || [c])[0]).join(', ')}.`),
    evidenceFacts(w.evidence),
    pr ? h('div', { class: 'practice' },
      h('h4', null, 'What helps: ', h('a', { href: `#/practices/${pr.id}` }, pr.title)),
      h('p', null, pr.summary),
      pr.questions && pr.questions.length ? [h('p', { class: 'small' }, 'Questions to reflect on:'),
        h('ul', { class: 'questions' }, pr.questions.map((q) => h('li', null, q)))] : null) : null);
}

export async function render(ctx) {
  const id = ctx.params.id;
  const main = ctx.main;
  if (ctx.rel && ctx.rel.my_role !== 'guide' && ctx.rel.my_role !== 'learner') {
    replace(main, h('h2', null, 'Trust'),
      h('p', { class: 'notice' }, 'Only the guide and the learner see their trust profile. Program figures are on the program\'s health page.'));
    return;
  }
  replace(main, h('h2', null, 'Trust'), loading('Loading the trust profile…'));
  main.setAttribute('aria-busy', 'true');
  let trust, warnings, practices, hist;
  try {
    [trust, warnings, practices, hist] = await Promise.all([
      api.get(`/relationships/${id}/trust`),
      api.get(`/relationships/${id}/warnings`),
      api.get('/practices').then((p) => p.items).catch(() => []),
      api.get(`/relationships/${id}/trust/history`, { points: HISTORY_POINTS }).catch((err) => ({ err })),
    ]);
  } catch (err) {
    replace(main, h('h2', null, 'Trust'), errorBox(err));
    main.removeAttribute('aria-busy');
    return;
  }
  const rel = ctx.rel || { id, my_role: null };
  const dirs = trust.directions || [];
  replace(main,
    h('h2', null, 'Trust'),
    h('p', { class: 'lead' }, 'How much each of you can count on the other, from what you both did and what your pulses said. Figures are out of 100; the bars show the range the evidence supports.'),
    h('div', { class: 'directions' }, dirs.map((d) => direction(d, rel))),
    section('Over time', hist.err ? errorBox(hist.err)
      : hist.directions && hist.directions.length ? chart(hist, rel, main.clientWidth - 34)
        : empty('Nothing has happened yet to draw.')),
    section('Early warnings',
      (warnings.items || []).length
        ? h('ul', { class: 'warnings' }, warnings.items.map((w) => warningItem(w, rel, practices)))
        : empty('No warnings: nothing needs attention now.')),
    disclosure('How is this worked out?',
      h('p', null, 'Each thing that happens (a check-in held or missed, a commitment kept or broken, a reply on time, a pulse answer) counts as evidence for or against one of the four components. Recent evidence weighs more. The index is the mean of the four, and it is only shown once there is enough evidence.'),
      h('p', null, 'As of ', time(trust.at), '.')));
  main.removeAttribute('aria-busy');
  return null;
}

/* pages/roster.js: a program's roster import and exports (#/programs/:id/roster), for its
 * administrators. Metadata only, like the other admin pages.
 *
 *   Import: choose a CSV file (email, name, role and optional profile columns), review the
 *   dry run row by row (POST /programs/{id}/roster), then apply it (?apply=true). The file
 *   is read in the browser and sent as text/csv; nothing of it is kept.
 *   Export: the four CSV downloads (GET /programs/{id}/exports/*.csv), each an entry of the
 *   administrator's own access log.
 */
import { programNav } from './admin.js';
import { api } from '../api.js';
import { h, replace, section, button, announce, errorBox, badge } from '../ui.js';

const SHOWN = 200; /* rows listed at once; the counts cover all */
const ACTIONS = { create: ['New account', 'ok'], update: ['Update', 'warn'], unchanged: ['Unchanged', null], refused: ['Refused', 'bad'] };

function counts(rep) {
  const c = rep.counts;
  return `${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ${c.refused} refused`;
}

function report(rep) {
  const rows = rep.rows.filter((r) => r.action === 'refused')
    .concat(rep.rows.filter((r) => r.action !== 'refused' && r.action !== 'unchanged'))
    .concat(rep.rows.filter((r) => r.action === 'unchanged'));
  const shown = rows.slice(0, SHOWN);
  return h('div', { class: 'stack' },
    h('p', null, h('strong', null, rep.applied ? 'Imported: ' : 'Dry run: '), rep.applied
      ? counts(rep).replace('to create', 'created').replace('to update', 'updated') : counts(rep) + '. Nothing has changed yet.'),
    h('ul', { class: 'plain' }, rep.columns.map((c) => h('li', null, h('strong', null, c.name), `: ${c.status}`))),
    h('ul', { class: 'items', 'aria-label': 'Rows of the file' }, shown.map((r) => {
      const [label, kind] = ACTIONS[r.action] || [r.action, null];
      return h('li', { class: 'row' },
        h('span', { class: 'row-main' }, `Line ${r.line}: `, h('strong', null, r.name || '(no name)'), ' ',
          h('span', { class: 'muted' }, r.email || '(no e-mail)'), r.role ? ` as ${r.role}` : null,
          h('br'), h('span', null, r.detail)),
        h('span', { class: 'row-side' }, badge(label, kind)));
    })),
    rows.length > shown.length ? h('p', { class: 'muted' }, `and ${rows.length - shown.length} more rows, all unchanged or like those above.`) : null);
}

export async function render(ctx) {
  const id = ctx.params.id;
  const p = await api.get(`/programs/${id}`);
  ctx.setTitle(`${p.name}: import and export`);
  const out = h('div', { 'aria-live': 'polite' });
  const input = h('input', { type: 'file', id: 'roster-file', accept: '.csv,text/csv', 'aria-describedby': 'roster-hint' });
  let text = null;
  const apply = button('Apply the import', async () => {
    try {
      const rep = await api.upload(`/programs/${id}/roster`, text, { apply: 'true' });
      replace(out, report(rep));
      apply.hidden = true;
      announce(`Imported: ${counts(rep)}.`);
    } catch (err) { replace(out, errorBox(err)); }
  }, { cls: 'primary' });
  apply.hidden = true;
  const review = button('Review the file', async () => {
    apply.hidden = true;
    const file = input.files && input.files[0];
    if (!file) { replace(out, h('div', { class: 'alert', role: 'alert' }, 'Choose a CSV file first.')); return; }
    text = await file.text();
    try {
      const rep = await api.upload(`/programs/${id}/roster`, text);
      replace(out, report(rep));
      apply.hidden = rep.counts.create + rep.counts.update === 0;
      announce(`Dry run: ${counts(rep)}.`);
    } catch (err) { replace(out, errorBox(err)); }
  });
  const base = `/api/v1/programs/${encodeURIComponent(id)}/exports`;
  const exp = (file, what) => h('li', null, h('a', { href: `${base}/${file}.csv`, download: '' }, what));
  replace(ctx.main,
    h('h1', null, p.name),
    programNav(id, `/programs/${id}/roster`),
    section('Import a roster',
      h('p', { id: 'roster-hint', class: 'hint' }, 'A CSV file (UTF-8) whose first line names the columns: email, name and role (admin, guide or learner), and optionally manager_email, time zone, languages, topics (separated by ;) and attributes. Rows are matched by e-mail, so importing the same file again changes nothing. New people get an invitation.'),
      h('div', { class: 'field' }, h('label', { for: 'roster-file' }, 'Roster file (CSV)'), input),
      h('div', { class: 'actions' }, review, ' ', apply),
      out),
    section('Export',
      h('p', { class: 'hint' }, 'Program metadata as CSV, never what the pairs write. Group figures keep the health page\u2019s threshold. Each export is noted in your own access log.'),
      h('ul', { class: 'plain' }, exp('members', 'Members and roles'), exp('relationships', 'Relationships with states and dates'),
        exp('counts', 'Counts by role and state'), exp('health', 'Health figures'))));
  return undefined;
}

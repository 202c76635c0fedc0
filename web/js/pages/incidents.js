/* incidents.js: incidents and repair plans (the "Incidents" tab of a relationship).
 *
 *   POST /relationships/{id}/incidents {kind, text, concerning_id?}   report
 *   GET  /relationships/{id}/incidents                               the reports
 *   POST /incidents/{id}/acknowledge   the party concerned owns it (opens a repair plan)
 *   POST /incidents/{id}/resolve       either party
 *   GET  /relationships/{id}/repair-plans
 *   POST /repair-plans/{id}/acknowledge {text, responsibility}   the party concerned, in their words
 *   POST /repair-plans/{id}/amends {commitment_ids}             open commitments of that party
 *   POST /repair-plans/{id}/close                                either party
 *
 * Incident texts are confidential: they are read from the API and shown, never put in
 * the URL or in storage.
 */
import { api } from '../api.js';
import { h, replace, loading, errorBox, form, field, pager, section, badge, time, announce, button, fmtDate } from '../ui.js';
import { isParty, otherId } from './relationship.js';

const KINDS = [['confidentiality', 'A breach of confidence'], ['bias', 'Bias or unfair treatment'],
  ['judgment', 'A serious error of judgement'], ['other', 'Something else']];
const KIND_WORD = Object.fromEntries(KINDS);

function whoWord(pid, rel, me) {
  if (pid === me) return 'you';
  if (pid === rel.guide_id) return 'your guide';
  if (pid === rel.learner_id) return 'your learner';
  return 'someone';
}

function incidentItem(x, rel, me, reload) {
  const stateBadge = x.state === 'resolved' ? badge('Resolved', 'ok') : x.state === 'acknowledged' ? badge('Acknowledged', 'warn') : badge('Reported', 'bad');
  const actions = [];
  if (x.state === 'reported' && x.concerning_id === me) {
    actions.push(button('Acknowledge: this is mine to repair', async () => {
      try {
        await api.post(`/incidents/${x.id}/acknowledge`);
        announce('Acknowledged. A repair plan is open below.');
        await reload();
      } catch (err) { announce(err.detail || String(err)); throw err; }
    }, { cls: 'primary' }));
  }
  if (x.state !== 'resolved') {
    actions.push(button('Mark resolved', async () => {
      await api.post(`/incidents/${x.id}/resolve`);
      announce('The incident is marked resolved.');
      await reload();
    }));
  }
  return h('li', { class: 'card' },
    h('h3', null, KIND_WORD[x.kind] || x.kind, ' ', stateBadge),
    h('p', { class: 'muted' }, `Reported by ${whoWord(x.reporter_id, rel, me)} about ${whoWord(x.concerning_id, rel, me)}, `, time(x.reported_at)),
    h('blockquote', { class: 'text' }, x.text),
    x.acknowledged_at ? h('p', null, `Acknowledged by ${whoWord(x.acknowledged_by, rel, me)} `, time(x.acknowledged_at)) : null,
    x.resolved_at ? h('p', null, `Resolved by ${whoWord(x.resolved_by, rel, me)} `, time(x.resolved_at)) : null,
    actions.length ? h('div', { class: 'actions' }, actions) : null);
}

async function openCommitmentsOf(relId, owner) {
  const page = await api.get(`/relationships/${relId}/commitments`, { state: 'open', limit: 100 });
  return page.items.filter((c) => c.owner_id === owner);
}

function planItem(p, rel, me, reload) {
  const mine = p.party_id === me;
  const parts = [
    h('h3', null, 'Repair plan ', p.state === 'open' ? badge('Open', 'warn') : badge(p.outcome ? p.outcome.replace(/_/g, ' ') : 'Closed', p.outcome === 'repaired' ? 'ok' : null)),
    h('p', null, `For ${whoWord(p.party_id, rel, me)} to follow through over ${p.follow_through_days} days, until ${fmtDate(p.ends_at)}. `,
      p.practice ? ['What helps: ', h('a', { href: `#/practices/${p.practice.id}` }, p.practice.title), '.'] : null),
    h('ol', { class: 'steps' },
      h('li', { class: p.acknowledgement ? 'done' : null }, h('strong', null, 'Acknowledge'), p.acknowledgement
        ? [' — done ', time(p.acknowledgement.at), h('blockquote', { class: 'text' }, p.acknowledgement.text), h('p', null, h('em', null, 'Responsibility: '), p.acknowledgement.responsibility)]
        : ` — ${mine ? 'in your own words: what happened and what you take responsibility for' : 'waiting for ' + whoWord(p.party_id, rel, me)}.`),
      h('li', { class: p.amends_agreed_at ? 'done' : null }, h('strong', null, 'Agree amends'), p.amends_agreed_at
        ? [' — agreed ', time(p.amends_agreed_at), h('ul', null, p.commitments.map((c) => h('li', null, c.text, ' ', badge(c.state), ' due ', time(c.due_at, false))))]
        : ' — commitments that make it right, due within the follow-through period.'),
      h('li', null, h('strong', null, 'Follow through'), ` — kept ${p.kept}, open ${p.open}, broken ${p.broken}; ${p.checkins_held} check-ins held since.`)),
    p.trust ? h('p', { class: 'muted' }, `Trust in ${whoWord(p.party_id, rel, me)} now: ${p.trust.index === null ? 'not enough evidence yet' : p.trust.index + ' out of 100'} (${p.trust.label})${p.trust.int_capped ? '; integrity is capped until the repair is followed through' : ''}.`) : null,
  ];
  if (p.state === 'open') {
    if (mine && !p.acknowledgement) {
      parts.push(form({
        label: 'Acknowledge in your own words',
        fields: [
          field({ name: 'text', label: 'What happened, in your words', type: 'textarea', required: true }),
          field({ name: 'responsibility', label: 'What you take responsibility for', type: 'textarea', required: true }),
        ],
        submit: 'Acknowledge',
        onSubmit: async (v) => { await api.post(`/repair-plans/${p.id}/acknowledge`, v); announce('Acknowledged.'); await reload(); },
      }));
    }
    if (p.acknowledgement && !p.amends_agreed_at) {
      const box = h('div', { class: 'amends' }, loading('Loading open commitments…'));
      parts.push(box);
      openCommitmentsOf(p.relationship_id, p.party_id).then((cms) => {
        if (!cms.length) {
          replace(box, h('p', { class: 'state empty' }, `No open commitment of ${whoWord(p.party_id, rel, me)} yet: add one on the Commitments tab, due by ${fmtDate(p.ends_at)}, then come back.`));
          return;
        }
        replace(box, form({
          label: 'Agree the amends',
          fields: [h('fieldset', { class: 'field', 'data-pointer': '/commitment_ids', 'data-kind': 'ids', 'data-skip': 'true' },
            h('legend', null, 'The commitments that make amends'),
            cms.map((c) => {
              const id = `amend-${p.id}-${c.id}`;
              return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, value: String(c.id) }), h('label', { for: id }, c.text, ' (due ', fmtDate(c.due_at), ')'));
            }),
            h('p', { class: 'field-error', hidden: true }))],
          submit: 'Agree these amends',
          onSubmit: async (v, f) => {
            const ids = [...f.querySelectorAll('input[type=checkbox]:checked')].map((c) => Number(c.value));
            await api.post(`/repair-plans/${p.id}/amends`, { commitment_ids: ids });
            announce('Amends agreed.');
            await reload();
          },
        }));
      }, (err) => replace(box, errorBox(err)));
    }
    parts.push(h('div', { class: 'actions' }, button('Close the plan', async () => {
      await api.post(`/repair-plans/${p.id}/close`);
      announce('The plan is closed.');
      await reload();
    })));
  }
  return h('li', { class: 'card' }, parts);
}

export async function render(ctx) {
  const id = ctx.params.id;
  const rel = ctx.rel || {};
  const me = ctx.me && ctx.me.person ? ctx.me.person.id : null;
  const main = ctx.main;
  if (!isParty(rel)) {
    replace(main, h('h2', null, 'Incidents and repair'),
      h('p', { class: 'notice' }, 'Only the guide and the learner can see or report incidents in their relationship.'));
    return;
  }
  main.setAttribute('aria-busy', 'true');
  const incidents = pager({
    load: (after) => api.get(`/relationships/${id}/incidents`, { after, limit: 20 }),
    item: (x) => incidentItem(x, rel, me, reloadAll), label: 'Incidents', empty: 'No incidents have been reported.',
  });
  const plans = pager({
    load: (after) => api.get(`/relationships/${id}/repair-plans`, { after, limit: 20 }),
    item: (p) => planItem(p, rel, me, reloadAll), label: 'Repair plans', empty: 'No repair plan: a plan opens when the person concerned acknowledges an incident.',
  });
  async function reloadAll() { await Promise.all([incidents.reload(), plans.reload()]); }
  const other = otherId(rel);
  const report = form({
    label: 'Report an incident',
    fields: [
      field({ name: 'kind', label: 'What kind of incident', type: 'select', required: true, options: KINDS }),
      field({ name: 'text', label: 'What happened', type: 'textarea', required: true, maxlength: 4000,
        hint: 'Only the two of you can read this. It is stored encrypted.' }),
      field({ name: 'concerning_id', label: 'Who it concerns', type: 'select', required: true, numeric: true,
        options: [[other, `Your ${rel.my_role === 'guide' ? 'learner' : 'guide'}`], [me, 'Me']] }),
    ],
    submit: 'Report', reset: true,
    onSubmit: async (v) => {
      await api.post(`/relationships/${id}/incidents`, v);
      announce('Reported. The other party can now acknowledge it.');
      await reloadAll();
    },
  });
  replace(main,
    h('h2', null, 'Incidents and repair'),
    h('p', { class: 'lead' }, 'When something breaks trust, say so here. The person concerned acknowledges it, you agree amends together, and the plan follows them through. Nobody else, program administrators included, can read any of this.'),
    section('Report an incident', report),
    section('Incidents', incidents),
    section('Repair plans', plans));
  await Promise.all([incidents.ready, plans.ready]);
  main.removeAttribute('aria-busy');
}

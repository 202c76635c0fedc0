/* pages/agreement.js: the agreement tab. The agreement in force, a version waiting for
 * acknowledgement (who has acknowledged it, and the button), the guided first conversation
 * that writes a new version (PUT /agreement), and the earlier versions. */
import { api, session } from '../api.js';
import { h, replace, loading, errorBox, form, field, button, announce, subsection, pager, dl, time, fmtDay, badge } from '../ui.js';
import { partyName, isParty } from './relationship.js';

function terms(v) {
  return dl([
    ['Why we meet', v.purpose],
    ['How often', v.cadence_days === 1 ? 'Every day' : `Every ${v.cadence_days} days`],
    ['How we talk', (v.channels || []).join(', ')],
    ['Reply within', `${v.reply_window_hours} hours`],
    ['What stays between us', v.confidentiality],
    ['Boundaries', v.boundaries],
    ['Quiet hours', v.quiet_hours ? `${v.quiet_hours.from} to ${v.quiet_hours.to}: Rapport holds mail about us until they end, in each person's time zone` : 'None'],
    ['How we like feedback', v.feedback_preferences],
    ['Until', v.ends_on ? fmtDay(v.ends_on) : 'No end date planned'],
  ]);
}

function ackLine(rel, v) {
  const parties = [rel.guide_id, rel.learner_id];
  return h('ul', { class: 'cluster', 'aria-label': 'Acknowledgements' }, parties.map((id) => {
    const done = (v.acknowledged_by || []).includes(id);
    return h('li', { class: 'badge ' + (done ? 'badge-ok' : 'badge-warn') },
      `${partyName(rel, id, { capital: true })}: ${done ? 'acknowledged' : 'not yet acknowledged'}`);
  }));
}

function questionField(spec, questions) {
  return field({ ...spec, hint: questions });
}

function conversation(ctx, latest, onSaved) {
  const rel = ctx.rel;
  const prog = ((session.me && session.me.programs) || []).find((p) => p.id === rel.program_id);
  const defaults = prog && prog.settings ? prog.settings : { cadence_days: 14, reply_window_hours: 48 };
  const v = latest || {};
  const step = (legend, intro, ...fields) => h('li', null,
    h('fieldset', { class: 'group' }, h('legend', null, legend), intro ? h('p', { class: 'hint' }, intro) : null, fields));
  return form({
    label: latest ? 'Propose a new version of the agreement' : 'Your first conversation',
    submit: latest ? 'Propose this version' : 'Propose this agreement',
    fields: [
      h('p', null, 'Talk these through together, then write down what you agreed. Both of you acknowledge a version before it is in force. Only the two of you can read it.'),
      h('ol', { class: 'conversation-steps' },
        step('Why we meet', null,
          questionField({ name: 'purpose', label: 'Our shared purpose', type: 'textarea', required: true, value: v.purpose, rows: 3 },
            'What do we want to be different when this ends? What is this relationship for, and what is it not for?')),
        step('How often and how', 'A steady rhythm builds trust faster than long, rare meetings.',
          field({ name: 'cadence_days', label: 'Days between check-ins', type: 'number', required: true, min: 1, max: 365,
            value: v.cadence_days ?? defaults.cadence_days, hint: 'From 1 to 365. Your program suggests ' + defaults.cadence_days + '.' }),
          field({ name: 'channels', label: 'Channels', type: 'list', required: true, value: v.channels || [],
            hint: 'Separate them with commas, e.g. video call, chat, email. Up to 10.' }),
          field({ name: 'reply_window_hours', label: 'Hours to reply to a request', type: 'number', required: true, min: 1, max: 720,
            value: v.reply_window_hours ?? defaults.reply_window_hours, hint: 'From 1 to 720. Rapport counts replies within this window as on time.' })),
        step('What stays between us', null,
          questionField({ name: 'confidentiality', label: 'Confidentiality and its exceptions', type: 'textarea', required: true, value: v.confidentiality, rows: 3 },
            'What stays between the two of you? When would either of you have to share something (for example, if someone is at risk)? Who else may hear what?')),
        step('Boundaries', null,
          questionField({ name: 'boundaries', label: 'Boundaries', type: 'textarea', value: v.boundaries, rows: 3 },
            'Times, topics or channels that are off limits; how to say no; what happens when a meeting must move.'),
          field({ name: 'quiet_from', pointer: '/quiet_hours/from', label: 'Quiet hours from', type: 'time', value: v.quiet_hours ? v.quiet_hours.from : undefined }),
          field({ name: 'quiet_to', pointer: '/quiet_hours/to', label: 'Quiet hours until', type: 'time', value: v.quiet_hours ? v.quiet_hours.to : undefined,
            hint: 'Rapport holds its mail about this relationship in these hours, in each person\'s own time zone. Not confidential. Leave both empty for none.' })),
        step('Feedback', null,
          questionField({ name: 'feedback_preferences', label: 'How we like to give and receive feedback', type: 'textarea', value: v.feedback_preferences, rows: 3 },
            'Written or spoken first? Straight away or at the next check-in? Balanced two ways: what would make it easy for each of you?')),
        step('Until when', null,
          field({ name: 'ends_on', label: 'Planned end date', type: 'date', value: v.ends_on, hint: 'Leave empty when no end is planned.' }))),
    ],
    onSubmit: async (values) => {
      if (!values.channels) values.channels = [];
      values.quiet_hours = values.quiet_from || values.quiet_to ? { from: values.quiet_from || '', to: values.quiet_to || '' } : null;
      delete values.quiet_from;
      delete values.quiet_to;
      const saved = await api.put(`/relationships/${rel.id}/agreement`, values);
      announce(`Version ${saved.version} proposed. It is in force once you have both acknowledged it.`);
      await onSaved(saved);
    },
  });
}

export async function render(ctx) {
  const rel = ctx.rel;
  replace(ctx.main, loading('Loading the agreement…'));
  let state;
  try {
    state = await api.get(`/relationships/${rel.id}/agreement`);
  } catch (err) {
    replace(ctx.main, h('h2', null, 'Agreement'), errorBox(err));
    return undefined;
  }
  if (ctx.signal.aborted) return undefined;
  const me = session.me.person.id;
  const { latest, in_force: inForce } = state;
  const parts = [h('h2', null, 'Agreement')];

  if (!latest) {
    parts.push(h('p', null, 'You have no agreement yet. Agreeing expectations at the start is the practice that most helps a new relationship.'));
  }
  if (latest && !latest.in_force) {
    const mine = (latest.acknowledged_by || []).includes(me);
    const msg = h('div');
    parts.push(h('section', { class: 'panel attention', 'aria-labelledby': 'ag-pending' },
      h('h3', { id: 'ag-pending' }, `Version ${latest.version}: waiting for acknowledgement`),
      h('p', { class: 'item-meta' }, `Proposed by ${partyName(rel, latest.author_id)} `, time(latest.created_at)),
      ackLine(rel, latest),
      terms(latest),
      msg,
      isParty(rel) && !mine ? h('div', { class: 'actions' }, button(`Acknowledge version ${latest.version}`, async () => {
        try {
          const v = await api.post(`/relationships/${rel.id}/agreement/acknowledge`, { version: latest.version });
          announce(v.in_force ? `Version ${v.version} is now in force.` : `You acknowledged version ${v.version}.`);
          await ctx.refreshRel();
          await render(ctx);
          const hd = ctx.main.querySelector('h2');
          if (hd) { hd.setAttribute('tabindex', '-1'); hd.focus(); }
        } catch (err) {
          replace(msg, errorBox(err));
        }
      }, { cls: 'primary' })) : null,
      mine ? h('p', { class: 'muted' }, 'You acknowledged this version. It comes into force when the other party does too.') : null));
  }
  if (inForce) {
    parts.push(h('section', { class: 'panel', 'aria-labelledby': 'ag-force' },
      h('div', { class: 'item-head' }, h('h3', { id: 'ag-force' }, `In force: version ${inForce.version}`), badge('In force', 'ok')),
      h('p', { class: 'item-meta' }, 'Agreed ', time(inForce.created_at, false)),
      terms(inForce)));
  }
  if (isParty(rel) && ['proposed', 'active', 'paused'].includes(rel.state)) {
    const holder = h('div');
    const open = !latest;
    const toggle = button(latest ? 'Propose a new version' : 'Start the first conversation', () => {
      if (holder.firstChild) { replace(holder); toggle.setAttribute('aria-expanded', 'false'); return; }
      replace(holder, conversation(ctx, latest, async () => {
        await ctx.refreshRel();
        await render(ctx);
      }));
      toggle.setAttribute('aria-expanded', 'true');
      const first = holder.querySelector('textarea, input');
      if (first) first.focus();
    }, { cls: open ? 'primary' : null });
    toggle.setAttribute('aria-expanded', 'false');
    parts.push(subsection(latest ? 'Change the agreement' : 'The first conversation',
      latest ? h('p', { class: 'muted' }, 'A new version replaces this one once you both acknowledge it.') : null,
      toggle, holder));
    if (open) {
      replace(holder, conversation(ctx, null, async () => { await ctx.refreshRel(); await render(ctx); }));
      toggle.hidden = true;
    }
  }
  if (latest && latest.version > 1) {
    parts.push(subsection('Earlier versions', pager({
      all: true, /* newest first */
      step: 10,
      path: `/relationships/${rel.id}/agreement/versions`,
      item: (v) => h('li', null,
        h('details', { class: 'disclosure' },
          h('summary', null, `Version ${v.version}`, v.in_force ? ' (in force)' : ''),
          h('div', { class: 'disclosure-body' }, h('p', { class: 'item-meta' }, 'Proposed ', time(v.created_at)), ackLine(rel, v), terms(v)))),
      empty: 'No earlier versions.',
      label: 'Agreement versions',
    })));
  }
  replace(ctx.main, ...parts);
  return undefined;
}

/* pages/alumni.js: the alumni network.
 *   #/alumni                      each of my programs: the directory (only what each person
 *                                 chose to show), my own entry and its consent, leaving, and
 *                                 "pay it forward" (a former learner becomes a guide)
 *   #/relationships/:id/long-term long-term check-ins of former partners: both must want
 *                                 them; a short pulse every 90 days (the program's value) or at
 *                                 the cadence one proposes and the other agrees; no warnings. */
import { api } from '../api.js';
import { h, replace, form, field, announce, section, subsection, badge, errorBox, loading, button, empty, time } from '../ui.js';

export async function render(ctx) {
  if (ctx.route.path === '/relationships/:id/long-term') return longTerm(ctx);
  const programs = (ctx.me.programs || []).filter((p) => p.role !== 'admin');
  const seen = new Set();
  const boxes = programs.filter((p) => !seen.has(p.id) && seen.add(p.id)).map((p) => {
    const box = h('div', null, loading());
    program(p, box);
    return section(p.name, box);
  });
  replace(ctx.main,
    h('h1', null, 'Alumni'),
    h('p', { class: 'muted' }, 'After a relationship completes, you can join your program\u2019s alumni network. Each field of your entry shows only if you choose so; you can leave at any time.'),
    boxes.length ? boxes : empty('You are in no program.'));
  return undefined;
}

async function program(p, box) {
  let page;
  try { page = await api.get(`/programs/${p.id}/alumni`); } catch (err) { replace(box, errorBox(err)); return; }
  const mine = page.items.find((x) => x.mine);
  const others = page.items.filter((x) => !x.mine);
  const consent = (mine && mine.consent) || {};
  replace(box,
    others.length ? h('ul', { class: 'items', 'aria-label': `Alumni of ${p.name}` }, others.map((x) => h('li', null,
      h('div', { class: 'item-head' }, h('h3', null, x.name || 'An alumnus'), x.guiding ? badge('Guides again', 'ok') : null),
      x.topics ? h('p', null, 'Can help with: ', x.topics) : null,
      x.contact_person_id ? h('p', { class: 'item-meta' }, 'Open to being contacted in Rapport.') : null)))
      : empty('Nobody in this network shows anything yet.'),
    subsection(mine ? 'My entry' : 'Join the alumni network', form({
      label: `My alumni entry in ${p.name}`,
      submit: mine ? 'Save my entry' : 'Join',
      fields: [
        field({ name: 'show_name', label: 'Show my name', type: 'checkbox', value: consent.show_name }),
        field({ name: 'show_topics', label: 'Show the topics I can help with', type: 'checkbox', value: consent.show_topics }),
        field({ name: 'topics', label: 'Topics I can help with', type: 'textarea', rows: 2, required: false, value: mine ? mine.topics : '' }),
        field({ name: 'show_contact', label: 'Let members reach me inside Rapport', type: 'checkbox', value: consent.show_contact }),
      ],
      onSubmit: async (v) => { await api.put(`/programs/${p.id}/alumni/me`, v); announce('Your entry is saved.'); await program(p, box); },
    }),
    mine ? h('div', { class: 'actions' },
      button('Leave the alumni network', async () => { await api.del(`/programs/${p.id}/alumni/me`); announce('You left the alumni network.'); await program(p, box); }, { cls: 'secondary' }),
      !mine.guiding && p.role === 'learner' ? button('Pay it forward: become a guide', async () => {
        await api.post(`/programs/${p.id}/alumni/me/guide`, {}); announce('You are a guide of this program now.'); await program(p, box);
      }) : null) : null));
}

const SHORT = [['REL1', 'did what they said they would'], ['INT1', 'was straight with me'], ['COM1', 'helped me move forward'], ['EMP1', 'tried to understand my situation']];
const SCALE = [['1', '1 Almost never'], ['2', '2 Rarely'], ['3', '3 Sometimes'], ['4', '4 Often'], ['5', '5 Almost always'], ['', 'No chance to tell']];

async function longTerm(ctx) {
  const rel = ctx.rel;
  const box = h('div', null, loading());
  replace(ctx.main, h('h2', null, 'Long-term check-ins'), box);
  async function draw() {
    let t;
    try { t = await api.get(`/relationships/${rel.id}/long-term`); } catch (err) { replace(box, errorBox(err)); return; }
    const former = rel.state === 'completed' || rel.state === 'alumni';
    const mineWants = rel.my_role === 'guide' ? t.wants.guide : t.wants.learner;
    replace(box,
      h('p', { class: 'muted' }, `Former partners who both want it check in every ${t.cadence_days} days with a short pulse. No warnings: the trust history simply goes on.`),
      !former ? h('p', null, 'Long-term check-ins start once the relationship has completed.') : [
        h('p', null, t.on ? 'On: you both want them.' : mineWants ? 'You want them; waiting for the other person.' : 'Off.'),
        button(mineWants ? 'Stop long-term check-ins' : 'I want long-term check-ins', async () => {
          await api.put(`/relationships/${rel.id}/long-term`, { want: !mineWants }); announce('Saved.'); await draw();
        }),
        cadence(t),
        t.on ? subsection('Short pulse',
          t.next_due_at ? h('p', null, 'Next due ', time(t.next_due_at)) : h('p', null, 'Due now.'),
          form({
            label: 'Short pulse', submit: 'Send the short pulse', reset: true,
            fields: [
              SHORT.map(([k, text]) => field({ name: `q-${k}`, pointer: `/answers/${k}`, label: `Since last time, they ${text}.`, type: 'radio', numeric: true, options: SCALE, required: false, cls: 'scale' })),
              field({ name: 'overall', label: 'Overall, how much do you trust them?', type: 'select', numeric: true, required: true,
                options: Array.from({ length: 11 }, (_, i) => [String(i), String(i)]), placeholder: 'Choose 0 to 10' }),
            ],
            onSubmit: async (v) => { if (!v.answers) v.answers = {}; await api.post(`/relationships/${rel.id}/long-term/checkins`, v); announce('Short pulse sent.'); await draw(); },
          })) : null]);
  }
  /* The pair's cadence: either proposes, the other agrees or declines. */
  function cadence(t) {
    const cad = `/relationships/${rel.id}/long-term/cadence`;
    const p = t.proposal;
    return subsection('Cadence',
      h('p', null, t.cadence_agreed_at ? [`Every ${t.cadence_days} days, as you both agreed `, time(t.cadence_agreed_at), '.']
        : `Every ${t.cadence_days} days, the program's value.`),
      p && p.by_me ? [h('p', null, `You proposed every ${p.days} days; waiting for the other person to agree.`),
        button('Withdraw my proposal', async () => { await api.del(`${cad}/proposal`); announce('Proposal withdrawn.'); await draw(); }, { cls: 'secondary' })] : null,
      p && !p.by_me ? [h('p', null, `The other person proposes every ${p.days} days.`),
        button(`Agree to every ${p.days} days`, async () => { await api.post(`${cad}/agree`, { days: p.days }); announce('Cadence agreed.'); await draw(); }),
        button('Decline', async () => { await api.del(`${cad}/proposal`); announce('Proposal declined.'); await draw(); }, { cls: 'secondary' })] : null,
      form({
        label: 'Propose a cadence', submit: 'Propose',
        fields: [field({ name: 'days', label: 'Every how many days', type: 'number', numeric: true, required: true, min: 14, max: 365,
          value: p ? p.days : t.cadence_days, hint: `14 to 365; ${t.default_days} is the program's value. It holds once the other person agrees.` })],
        onSubmit: async (v) => { await api.post(`${cad}/proposal`, v); announce('Proposed; the other person can agree.'); await draw(); },
      }));
  }
  await draw();
  return undefined;
}

/* pages/notes.js: the notes tab. Write a note, private (only you) or shared (you and the
 * other party); every note says plainly who can read it. Administrators never can. */
import { api } from '../api.js';
import { h, replace, form, field, announce, subsection, pager, time, badge } from '../ui.js';
import { partyName, otherId, readersText, isParty } from './relationship.js';

const WRITABLE = ['proposed', 'active', 'paused', 'completed', 'alumni'];

export async function render(ctx) {
  const rel = ctx.rel;
  const other = partyName(rel, otherId(rel));
  const list = pager({
    all: true, /* newest first */
    path: `/relationships/${rel.id}/notes`,
    item: (n) => {
      const who = readersText(rel, n.readable_by);
      return h('li', { class: n.visibility === 'private' ? 'note-private' : 'note-shared' },
        h('div', { class: 'item-head' },
          h('h4', null, `${partyName(rel, n.author_id, { capital: true })} wrote `, time(n.created_at)),
          badge(`Readable by: ${who}`, n.visibility === 'private' ? 'muted' : 'info')),
        h('p', { class: 'item-text' }, n.text));
    },
    empty: 'No notes yet.',
    label: 'Notes',
  });
  const add = isParty(rel) && WRITABLE.includes(rel.state) ? subsection('Write a note', form({
    label: 'Write a note',
    submit: 'Save note',
    reset: true,
    fields: [
      field({ name: 'visibility', label: 'Who can read it?', type: 'radio', required: true, value: 'private',
        options: [['private', 'Only me'], ['shared', `Me and ${other}`]],
        hint: 'Program administrators can never read notes.' }),
      field({ name: 'text', label: 'Note', type: 'textarea', required: true, rows: 4 }),
    ],
    onSubmit: async (v) => {
      await api.post(`/relationships/${rel.id}/notes`, v);
      announce(v.visibility === 'private' ? 'Note saved. Only you can read it.' : `Note saved. You and ${other} can read it.`);
      await list.reload();
    },
  })) : null;
  replace(ctx.main, h('h2', null, 'Notes'), add, subsection('Notes you can read', list));
  return undefined;
}

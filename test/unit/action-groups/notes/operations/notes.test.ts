import { describe, expect, it } from 'vitest';
import { addNote } from '../../../../../src/action-groups/notes/operations/add-note.js';
import { listNotes } from '../../../../../src/action-groups/notes/operations/list-notes.js';
import { thrown } from '../../../../helpers/errors.js';
import { operationContext } from '../../../../helpers/operation-context.js';

describe('add_note', () => {
  it('refuses a note of only spaces before anything is written (a 400, not audited)', () => {
    // Act
    const error = thrown(() => addNote.normalize?.({ project_id: '12347', note_text: ' \t ' }));

    // Assess
    expect(error).toMatchObject({ errorType: 'validation_error', field: 'note_text' });
  });

  it('stores the trimmed text and reports PF360 note id, whichever place PF360 put it in', async () => {
    // Prepare
    const context = operationContext({ pf360: { addNote: async () => ({ message: 'ok', note_id: 'N-top' }) } });
    const input = addNote.normalize?.({ project_id: '12347', note_text: '  Gate code 4417.  ' }) ?? {
      project_id: '',
      note_text: '',
    };

    // Act
    const { perform } = await addNote.prepare(input, context);
    const { body } = await perform();

    // Assess
    expect(body).toMatchObject({ note_text: 'Gate code 4417.', note_id: 'N-top', created_at: null });
  });
});

describe('list_notes', () => {
  it('lists the newest first, with a null author where PF360 gives none', async () => {
    // Prepare
    const notes = [
      { note_id: 'a', note_text: 'first', created_at: '2026-11-20 09:00:00' },
      { note_id: 'c', note_text: 'same time', created_at: '2026-11-22 09:00:00', author: 'Office' },
      { note_id: 'b', note_text: 'last', created_at: '2026-11-22 09:00:00' },
    ];
    const context = operationContext({ pf360: { listNotes: async () => ({ notes }) } });

    // Act
    const { body } = await listNotes({ project_id: '12347' }, context);

    // Assess
    expect(body.notes.map((n) => [n.note_id, n.author])).toEqual([
      ['c', 'Office'],
      ['b', null],
      ['a', null],
    ]);
  });
});

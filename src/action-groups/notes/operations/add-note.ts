import { defineWrite } from '../../../bedrock/routes.js';
import { validationError } from '../../../domain/errors.js';
import type { ActionContext } from '../../shared/context.js';
import { requireOwnedProject } from '../../shared/projects.js';
import type { AddNoteRequest, AddNoteResult } from '../types.js';

/**
 * E7a. The spec already refuses empty, over-long (1000) and control-character text; a note of
 * only spaces is refused here. The same note on the same project in the same conversation is
 * stored once (a retry or a repeated confirmation gets the first answer).
 */
export const addNote = defineWrite<AddNoteRequest, AddNoteResult, ActionContext>({
  normalize: (input) => {
    const noteText = input.note_text.trim();
    if (noteText === '') {
      throw validationError('note_text must not be blank: write the note the customer confirmed.', 'note_text');
    }
    return { ...input, note_text: noteText };
  },
  describe: (input) => ({ projectId: input.project_id, parameters: { note_text: input.note_text } }),
  prepare: async (input, context) => {
    const { patch } = await requireOwnedProject(context, input.project_id);
    return {
      target: 'note',
      perform: async () => {
        const response = await context.pf360.addNote(context.who, input.project_id, input.note_text);
        return {
          body: {
            project_id: input.project_id,
            note_id: response.data?.note_id ?? response.note_id ?? null,
            note_text: input.note_text,
            created_at: response.data?.created_at ?? null,
            message: 'The note is saved on the project; the crew and the office can see it.',
          },
          sessionPatch: patch,
          changedUpstream: true,
        };
      },
    };
  },
  confirmationOf: (body) => body.note_id,
});

import type { OperationResult } from '../../../bedrock/routes.js';
import { ValidationError } from '../../../domain/errors.js';
import type { ActionContext } from '../../shared/context.js';
import { requireOwnedProject } from '../../shared/projects.js';
import { runWrite } from '../../shared/writes.js';
import type { AddNoteRequest, AddNoteResult } from '../types.js';

/**
 * E7a. The spec already refuses empty, over-long (1000) and control-character text; a note of
 * only spaces is refused here. The same note on the same project in the same conversation is
 * stored once (a retry or a repeated confirmation gets the first answer).
 */
export function addNote(input: AddNoteRequest, context: ActionContext): Promise<OperationResult<AddNoteResult>> {
  const noteText = input.note_text.trim();
  if (noteText === '') {
    return Promise.reject(
      new ValidationError('note_text must not be blank: write the note the customer confirmed.', 'note_text'),
    );
  }
  return runWrite(
    context,
    {
      operation: 'add_note',
      projectId: input.project_id,
      parameters: { note_text: noteText },
      confirmationOf: (body) => body.note_id,
    },
    async () => {
      const { patch } = await requireOwnedProject(context, input.project_id);
      return {
        target: 'note',
        perform: async () => {
          const response = await context.pf360.addNote(context.who, input.project_id, noteText);
          return {
            body: {
              project_id: input.project_id,
              note_id: response.data?.note_id ?? response.note_id ?? null,
              note_text: noteText,
              created_at: response.data?.created_at ?? null,
              message: 'The note is saved on the project; the crew and the office can see it.',
            },
            sessionPatch: patch,
            changedUpstream: true,
          };
        },
      };
    },
  );
}

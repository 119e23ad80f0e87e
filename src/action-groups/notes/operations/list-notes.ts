import type { OperationResult } from '../../../bedrock/routes.js';
import type { ActionContext } from '../../shared/context.js';
import { requireOwnedProject } from '../../shared/projects.js';
import type { NoteList } from '../types.js';

/**
 * E8, newest first. PF360 timestamps are `YYYY-MM-DD HH:MM:SS`, so plain string order is time
 * order (localeCompare would start ICU's collator on a cold start for nothing).
 */
export async function listNotes(
  input: { project_id: string },
  context: ActionContext,
): Promise<OperationResult<NoteList>> {
  const { patch } = await requireOwnedProject(context, input.project_id);
  const list = await context.pf360.listNotes(context.who, input.project_id);
  const notes = [...list.notes]
    .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0))
    .map((n) => ({ note_id: n.note_id, note_text: n.note_text, author: n.author ?? null, created_at: n.created_at }));
  return {
    body: { project_id: input.project_id, notes, total: notes.length, truncated: false },
    sessionPatch: patch,
  };
}

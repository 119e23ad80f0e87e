import type { actionCatalog } from '../../../generated/catalog/actions.js';
import type { paths } from '../../../generated/types/notes.js';
import type { Routes, WriteRouteKeys } from '../../bedrock/routes.js';
import type { ActionContext } from '../shared/context.js';
import { addNote } from './operations/add-note.js';
import { listNotes } from './operations/list-notes.js';

/**
 * Keyed by the spec's own routes: a missing or extra route, or a write (`x-requireConfirmation`)
 * not declared with defineWrite, fails `npm run typecheck`.
 */
export const notesRoutes = {
  'POST /add-note': addNote,
  'GET /list-notes': listNotes,
} satisfies Routes<paths, ActionContext, WriteRouteKeys<(typeof actionCatalog)['notes']>>;

import { actionCatalog } from '../../../generated/catalog/actions.js';
import * as validators from '../../../generated/validators/notes.cjs';
import { type ActionHandler, createActionHandler } from '../../bedrock/dispatch.js';
import type { WritingActionDeps } from '../shared/context.js';
import { notesRoutes } from './routes.js';

export function createNotesHandler(deps: WritingActionDeps): ActionHandler {
  return createActionHandler({ group: 'notes', catalog: actionCatalog.notes, validators, routes: notesRoutes }, deps);
}

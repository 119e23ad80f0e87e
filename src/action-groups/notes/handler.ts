/** Lambda entry point of the notes action group (serverless.yml: notes). */
import { createActionDeps } from '../shared/wiring.js';
import { createNotesHandler } from './index.js';

export const handler = createNotesHandler(createActionDeps('pf360-notes'));

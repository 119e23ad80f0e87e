/** The Lambda handlers as the local gateway and `npm run invoke` run them: same code, local env. */
import { createInformationHandler } from '../../src/action-groups/information/index.js';
import { createNotesHandler } from '../../src/action-groups/notes/index.js';
import { createSchedulingHandler } from '../../src/action-groups/scheduling/index.js';
import { createReadOnlyActionDeps } from '../../src/action-groups/shared/base-wiring.js';
import { createActionDeps } from '../../src/action-groups/shared/wiring.js';

export function createLocalActionHandlers(env: Record<string, string | undefined> = process.env) {
  return {
    scheduling: createSchedulingHandler(createActionDeps('pf360-scheduling', env)),
    information: createInformationHandler(createReadOnlyActionDeps('pf360-information', env)),
    notes: createNotesHandler(createActionDeps('pf360-notes', env)),
  };
}

export type LocalFunctionName = keyof ReturnType<typeof createLocalActionHandlers>;

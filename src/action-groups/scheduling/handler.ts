/** Lambda entry point of the scheduling action group (serverless.yml: scheduling). */
import { createActionDeps } from '../shared/wiring.js';
import { createSchedulingHandler } from './index.js';

export const handler = createSchedulingHandler(createActionDeps('pf360-scheduling'));

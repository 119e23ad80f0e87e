/** Lambda entry point of the information action group (serverless.yml: information). */
import { createActionDeps } from '../shared/wiring.js';
import { createInformationHandler } from './index.js';

export const handler = createInformationHandler(createActionDeps('pf360-information'));

/** Lambda entry point of the information action group (serverless.yml: information). */
import { createReadOnlyActionDeps } from '../shared/base-wiring.js';
import { createInformationHandler } from './index.js';

export const handler = createInformationHandler(createReadOnlyActionDeps('pf360-information'));

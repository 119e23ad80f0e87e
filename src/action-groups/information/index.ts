import { actionCatalog } from '../../../generated/catalog/actions.js';
import * as validators from '../../../generated/validators/information.cjs';
import { type ActionHandler, createActionHandler } from '../../bedrock/dispatch.js';
import type { ActionDeps } from '../shared/context.js';
import { informationRoutes } from './routes.js';

export function createInformationHandler(deps: ActionDeps): ActionHandler {
  return createActionHandler(
    { group: 'information', catalog: actionCatalog.information, validators, routes: informationRoutes },
    deps,
  );
}

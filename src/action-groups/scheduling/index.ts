import { actionCatalog } from '../../../generated/catalog/actions.js';
import * as validators from '../../../generated/validators/scheduling.cjs';
import { type ActionHandler, createActionHandler } from '../../bedrock/dispatch.js';
import type { WritingActionDeps } from '../shared/context.js';
import { schedulingRoutes } from './routes.js';

export function createSchedulingHandler(deps: WritingActionDeps): ActionHandler {
  return createActionHandler(
    { group: 'scheduling', catalog: actionCatalog.scheduling, validators, routes: schedulingRoutes },
    deps,
  );
}

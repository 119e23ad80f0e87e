import type { actionCatalog } from '../../../generated/catalog/actions.js';
import type { paths } from '../../../generated/types/information.js';
import type { Routes, WriteRouteKeys } from '../../bedrock/routes.js';
import type { ActionContext } from '../shared/context.js';
import { getAppointmentStatus } from './operations/get-appointment-status.js';
import { getProjectDetails } from './operations/get-project-details.js';
import { getWeather } from './operations/get-weather.js';
import { getWorkingHours } from './operations/get-working-hours.js';

/**
 * Keyed by the spec's own routes: a missing or extra route, or a write (`x-requireConfirmation`)
 * not declared with defineWrite, fails `npm run typecheck`.
 */
export const informationRoutes = {
  'GET /get-project-details': getProjectDetails,
  'GET /get-appointment-status': getAppointmentStatus,
  'GET /get-working-hours': getWorkingHours,
  'GET /get-weather': getWeather,
} satisfies Routes<paths, ActionContext, WriteRouteKeys<(typeof actionCatalog)['information']>>;

import type { actionCatalog } from '../../../generated/catalog/actions.js';
import type { paths } from '../../../generated/types/scheduling.js';
import type { Routes, WriteRouteKeys } from '../../bedrock/routes.js';
import type { ActionContext } from '../shared/context.js';
import { confirmAppointment, rescheduleAppointment } from './operations/book.js';
import { cancelAppointment } from './operations/cancel-appointment.js';
import { getAvailableDates } from './operations/get-available-dates.js';
import { getBusinessHours } from './operations/get-business-hours.js';
import { getTimeSlots } from './operations/get-time-slots.js';
import { listProjects } from './operations/list-projects.js';

/**
 * Keyed by the spec's own routes: a missing or extra route, or a write (`x-requireConfirmation`)
 * not declared with defineWrite, fails `npm run typecheck`.
 */
export const schedulingRoutes = {
  'GET /list-projects': listProjects,
  'GET /get-available-dates': getAvailableDates,
  'GET /get-time-slots': getTimeSlots,
  'POST /confirm-appointment': confirmAppointment,
  'POST /reschedule-appointment': rescheduleAppointment,
  'POST /cancel-appointment': cancelAppointment,
  'GET /get-business-hours': getBusinessHours,
} satisfies Routes<paths, ActionContext, WriteRouteKeys<(typeof actionCatalog)['scheduling']>>;

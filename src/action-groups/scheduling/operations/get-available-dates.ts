import type { OperationResult } from '../../../bedrock/routes.js';
import { ConflictError } from '../../../domain/errors.js';
import { isClosed } from '../../../domain/projects.js';
import type { ProjectScheduling } from '../../../domain/session.js';
import { dateIn, weekdayOf } from '../../../domain/time.js';
import { isWeatherSensitive } from '../../../domain/weather-sensitivity.js';
import type { ActionContext } from '../../shared/context.js';
import { requireOwnedProject } from '../../shared/projects.js';
import type { AvailableDates } from '../types.js';

/** E2: opens a PF360 scheduling request; its request_id stays in the session, never with the model. */
export async function getAvailableDates(
  input: { project_id: string },
  context: ActionContext,
): Promise<OperationResult<AvailableDates>> {
  const projectId = input.project_id;
  const { project, patch } = await requireOwnedProject(context, projectId);
  if (isClosed(project)) {
    throw new ConflictError(
      'project_closed',
      `Project ${projectId} is ${project.status}; there is nothing to schedule.`,
    );
  }
  const today = dateIn(context.now, context.session.timeZone ?? context.config.defaultTimeZone);
  const offer = await context.pf360.getReschedulerSlots(context.who, projectId, { date: today, selectedDate: today });

  const previous = context.session.scheduling[projectId];
  const state: ProjectScheduling = {
    ...(previous?.booking ? { booking: previous.booking } : {}),
    ...(previous?.cancelledAt ? { cancelledAt: previous.cancelledAt } : {}),
    requestId: offer.request_id,
    offeredDates: offer.dates,
    offeredSlots: {},
  };
  const dates = offer.dates.map((date) => ({ date, weekday: weekdayOf(date) }));
  return {
    body: {
      project_id: projectId,
      dates,
      total: dates.length,
      truncated: false,
      weather_sensitive: isWeatherSensitive(project.category),
      message: dates.length
        ? 'Offer only these dates; after the customer picks one, call get_time_slots with it.'
        : 'No dates are open right now; suggest checking again later or contacting the office.',
    },
    sessionPatch: { ...patch, scheduling: { [projectId]: state } },
  };
}

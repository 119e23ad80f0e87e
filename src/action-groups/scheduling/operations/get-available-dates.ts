import type { OperationResult } from '../../../bedrock/routes.js';
import { AppError } from '../../../domain/errors.js';
import { isClosed } from '../../../domain/projects.js';
import type { CachedProject, ProjectScheduling } from '../../../domain/session.js';
import { notPast, weekdayOf } from '../../../domain/time.js';
import { riskOf, summarizeDay } from '../../../domain/weather.js';
import { isWeatherSensitive } from '../../../domain/weather-sensitivity.js';
import type { DayForecast } from '../../../ports/weather.js';
import { type ActionContext, customerZone } from '../../shared/context.js';
import { requireOwnedProject } from '../../shared/projects.js';
import { projectForecast } from '../../shared/weather.js';
import type { AvailableDates } from '../types.js';

/** Open-Meteo forecasts at most 16 days ahead; later dates get risk "unknown". */
const forecastDays = 16;

/** The forecast, or undefined when the weather service fails: dates never wait on the weather. */
async function forecastOrNothing(context: ActionContext, project: CachedProject): Promise<DayForecast[] | undefined> {
  try {
    return (await projectForecast(context, project, forecastDays)).forecast;
  } catch (error) {
    context.logger.warn('forecast unavailable for date offers', {
      cause: error instanceof Error ? error.name : 'unknown',
    });
    return undefined;
  }
}

/** E2: opens a PF360 scheduling request; its request_id stays in the session, never with the model. */
export async function getAvailableDates(
  input: { project_id: string },
  context: ActionContext,
): Promise<OperationResult<AvailableDates>> {
  const projectId = input.project_id;
  const { project, patch } = await requireOwnedProject(context, projectId);
  if (isClosed(project)) {
    throw new AppError('project_closed', `Project ${projectId} is ${project.status}; there is nothing to schedule.`);
  }
  const sensitive = isWeatherSensitive(project.category);
  const open = notPast(context.now, customerZone(context));
  const { today } = open;
  const [offer, forecast] = await Promise.all([
    context.pf360.getReschedulerSlots(context.who, projectId, { date: today, selectedDate: today }),
    sensitive ? forecastOrNothing(context, project) : Promise.resolve(undefined),
  ]);

  const offeredDates = open.dates(offer.dates);
  const previous = context.session.scheduling[projectId];
  const state: ProjectScheduling = {
    ...(previous?.booking ? { booking: previous.booking } : {}),
    ...(previous?.cancellation ? { cancellation: previous.cancellation } : {}),
    requestId: offer.request_id,
    offeredDates,
    offeredSlots: {},
  };
  const byDate = new Map((forecast ?? []).map((day) => [day.date, day]));
  const dates = offeredDates.map((date) => {
    if (!sensitive || !forecast) return { date, weekday: weekdayOf(date) };
    const day = byDate.get(date);
    return {
      date,
      weekday: weekdayOf(date),
      weather_risk: riskOf(day),
      weather: day ? summarizeDay(day) : 'No forecast for this date yet',
    };
  });
  const risky = dates.filter((d) => 'weather_risk' in d && d.weather_risk === 'high').map((d) => d.date);
  let weatherNote: string | undefined;
  if (sensitive && !forecast) {
    weatherNote = `${project.category} work is weather-sensitive, but the forecast is unavailable right now; the dates are offered without weather advice.`;
  } else if (sensitive) {
    weatherNote = `${project.category} work is weather-sensitive: suggest low-risk dates first${risky.length ? ` and warn that ${risky.join(', ')} look wet or windy` : ''}.`;
  }
  return {
    body: {
      project_id: projectId,
      dates,
      total: dates.length,
      truncated: false,
      weather_sensitive: sensitive,
      ...(weatherNote ? { weather_note: weatherNote } : {}),
      message: dates.length
        ? 'Offer only these dates; after the customer picks one, call get_time_slots with it.'
        : 'No dates are open right now; suggest checking again later or contacting the office.',
    },
    sessionPatch: { ...patch, scheduling: { [projectId]: state } },
  };
}

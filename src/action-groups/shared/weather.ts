/** Job-site forecasts: the project's postcode (or city) → a place → the daily forecast. */
import { AppError } from '../../domain/errors.js';
import type { CachedProject } from '../../domain/session.js';
import type { DayForecast, Place } from '../../ports/weather.js';
import type { ActionContext } from './context.js';

export async function placeOfProject(context: ActionContext, project: CachedProject): Promise<Place> {
  const country = context.config.weatherCountryCode;
  const byZip = project.zipcode ? await context.weather.findPlace(project.zipcode, country) : undefined;
  const place = byZip ?? (project.city ? await context.weather.findPlace(project.city, country) : undefined);
  if (!place) {
    throw new AppError('location_not_found', 'The job site could not be located for a forecast.');
  }
  return place;
}

export async function projectForecast(
  context: ActionContext,
  project: CachedProject,
  days: number,
): Promise<{ place: Place; forecast: DayForecast[] }> {
  const place = await placeOfProject(context, project);
  return { place, forecast: await context.weather.dailyForecast(place, days) };
}

import type { OperationResult } from '../../../bedrock/routes.js';
import { AppError, validationError } from '../../../domain/errors.js';
import type { SessionPatch } from '../../../domain/session.js';
import { describeWeatherCode, riskOf } from '../../../domain/weather.js';
import { isWeatherSensitive } from '../../../domain/weather-sensitivity.js';
import type { Place } from '../../../ports/weather.js';
import type { ActionContext } from '../../shared/context.js';
import { requireOwnedProject } from '../../shared/projects.js';
import { placeOfProject } from '../../shared/weather.js';
import type { Weather } from '../types.js';

/** A forecast for a project's job site (ownership-checked) or for a place the customer names. */
export async function getWeather(
  input: { project_id?: string; location?: string; days?: number },
  context: ActionContext,
): Promise<OperationResult<Weather>> {
  const days = input.days ?? 7;
  let place: Place;
  let patch: SessionPatch = {};
  let sensitiveCategory: string | undefined;
  if (input.project_id) {
    const owned = await requireOwnedProject(context, input.project_id);
    patch = owned.patch;
    place = await placeOfProject(context, owned.project);
    if (isWeatherSensitive(owned.project.category)) sensitiveCategory = owned.project.category;
  } else if (input.location?.trim()) {
    const found = await context.weather.findPlace(input.location.trim());
    if (!found) {
      throw new AppError(
        'location_not_found',
        `No place called "${input.location.trim().slice(0, 60)}" was found; ask for a city name or a postal code.`,
      );
    }
    place = found;
  } else {
    throw validationError(
      "Give project_id for the weather at one of the customer's job sites, or location for a city or postal code.",
      'project_id',
    );
  }

  const forecast = await context.weather.dailyForecast(place, days);
  const risky = forecast.filter((d) => riskOf(d) === 'high').map((d) => d.date);
  return {
    body: {
      location: { name: place.name, region: place.region, country: place.country },
      days: forecast.map((d) => ({
        date: d.date,
        condition: describeWeatherCode(d.weatherCode),
        temp_max_f: d.tempMaxF,
        temp_min_f: d.tempMinF,
        precipitation_probability: d.precipitationProbability,
        precipitation_mm: d.precipitationMm,
        wind_max_mph: d.windMaxMph,
        risk: riskOf(d),
      })),
      truncated: false,
      ...(sensitiveCategory
        ? {
            advice: `${sensitiveCategory} work is weather-sensitive${risky.length ? `; ${risky.join(', ')} look wet or windy for outdoor work` : '; no day in this forecast looks risky'}.`,
          }
        : {}),
    },
    sessionPatch: patch,
  };
}

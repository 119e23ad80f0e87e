/**
 * Open-Meteo's answers (openapi/weather.yaml) as the port's types: one place for the mapping,
 * shared by the HTTP client and the example client that mock stages use.
 */
import type { components } from '../../../generated/types/weather.js';
import type { DayForecast, Place } from '../../ports/weather.js';

type Schemas = components['schemas'];
/** The generated examples are `as const`; the mapping reads and never writes, so it takes either. */
type ReadOnlyArray<V> = V extends (infer E)[] ? readonly E[] : V;
type ReadOnly<T> = { readonly [K in keyof T]: ReadOnlyArray<T[K]> };

export function toPlace(result: ReadOnly<Schemas['SearchResult']>): Place {
  return {
    name: result.name,
    region: result.admin1 ?? null,
    country: result.country ?? null,
    latitude: result.latitude,
    longitude: result.longitude,
  };
}

/** The first `days` days; a column Open-Meteo left out or filled with null reads as null. */
export function toForecasts(daily: ReadOnly<Schemas['ForecastResponse']['daily']>, days: number): DayForecast[] {
  const at = (column: readonly (number | null)[] | undefined, i: number): number | null => {
    const value = column?.[i];
    return typeof value === 'number' ? value : null;
  };
  return daily.time.slice(0, days).map((date, i) => ({
    date,
    weatherCode: at(daily.weather_code, i),
    tempMaxF: at(daily.temperature_2m_max, i),
    tempMinF: at(daily.temperature_2m_min, i),
    precipitationMm: at(daily.precipitation_sum, i),
    precipitationProbability: at(daily.precipitation_probability_max, i),
    windMaxMph: at(daily.wind_speed_10m_max, i),
  }));
}

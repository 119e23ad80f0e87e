/**
 * Forecast → words and a risk level for outdoor work. The thresholds (documented in the README)
 * are deliberately simple so the agent can explain them:
 * - high:     chance of rain ≥ 60 %, or ≥ 5 mm of rain, or wind ≥ 25 mph, or thunderstorm/snow/freezing rain
 * - moderate: chance of rain ≥ 30 %, or ≥ 1 mm, or wind ≥ 15 mph
 * - low:      otherwise; unknown when there is no forecast for the day yet
 */
import type { DayForecast } from '../ports/weather.js';

export type Risk = 'low' | 'moderate' | 'high' | 'unknown';

export const riskThresholds = {
  high: { precipitationProbability: 60, precipitationMm: 5, windMph: 25 },
  moderate: { precipitationProbability: 30, precipitationMm: 1, windMph: 15 },
} as const;

/** WMO weather interpretation codes as Open-Meteo documents them. */
export function describeWeatherCode(code: number | null): string {
  if (code === null) return 'Unknown';
  if (code === 0) return 'Clear sky';
  if (code === 1) return 'Mainly clear';
  if (code === 2) return 'Partly cloudy';
  if (code === 3) return 'Overcast';
  if (code === 45 || code === 48) return 'Fog';
  if (code >= 51 && code <= 55) return 'Drizzle';
  if (code === 56 || code === 57) return 'Freezing drizzle';
  if (code === 61) return 'Light rain';
  if (code === 63) return 'Rain';
  if (code === 65) return 'Heavy rain';
  if (code === 66 || code === 67) return 'Freezing rain';
  if (code >= 71 && code <= 77) return 'Snow';
  if (code >= 80 && code <= 82) return 'Rain showers';
  if (code === 85 || code === 86) return 'Snow showers';
  if (code >= 95) return 'Thunderstorm';
  return 'Unknown';
}

/** Codes that stop outdoor work whatever the amounts: thunderstorms, snow, freezing rain. */
function severe(code: number | null): boolean {
  return (
    code !== null &&
    (code >= 95 || (code >= 66 && code <= 77) || code === 56 || code === 57 || code === 85 || code === 86)
  );
}

export function riskOf(day: DayForecast | undefined): Risk {
  if (!day) return 'unknown';
  const { precipitationProbability: p, precipitationMm: mm, windMaxMph: wind } = day;
  if (p === null && mm === null && wind === null && day.weatherCode === null) return 'unknown';
  const at = (t: { precipitationProbability: number; precipitationMm: number; windMph: number }) =>
    (p ?? 0) >= t.precipitationProbability || (mm ?? 0) >= t.precipitationMm || (wind ?? 0) >= t.windMph;
  if (severe(day.weatherCode) || at(riskThresholds.high)) return 'high';
  if (at(riskThresholds.moderate)) return 'moderate';
  return 'low';
}

const round = (n: number) => Math.round(n * 10) / 10;

/** "Rain (90% chance of rain, 14.6 mm), wind up to 21.7 mph" */
export function summarizeDay(day: DayForecast): string {
  const rain: string[] = [];
  if (day.precipitationProbability !== null) rain.push(`${day.precipitationProbability}% chance of rain`);
  if (day.precipitationMm !== null && day.precipitationMm > 0) rain.push(`${round(day.precipitationMm)} mm`);
  const parts = [`${describeWeatherCode(day.weatherCode)}${rain.length ? ` (${rain.join(', ')})` : ''}`];
  if (day.windMaxMph !== null) parts.push(`wind up to ${round(day.windMaxMph)} mph`);
  return parts.join(', ');
}

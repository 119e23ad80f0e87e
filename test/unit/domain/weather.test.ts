import { describe, expect, it } from 'vitest';
import { describeWeatherCode, riskOf, summarizeDay } from '../../../src/domain/weather.js';
import type { DayForecast } from '../../../src/ports/weather.js';

const day = (overrides: Partial<DayForecast> = {}): DayForecast => ({
  date: '2026-12-02',
  weatherCode: 1,
  tempMaxF: 70,
  tempMinF: 55,
  precipitationMm: 0,
  precipitationProbability: 0,
  windMaxMph: 5,
  ...overrides,
});

describe('describeWeatherCode', () => {
  it.each([
    [null, 'Unknown'],
    [0, 'Clear sky'],
    [1, 'Mainly clear'],
    [2, 'Partly cloudy'],
    [3, 'Overcast'],
    [45, 'Fog'],
    [48, 'Fog'],
    [51, 'Drizzle'],
    [55, 'Drizzle'],
    [56, 'Freezing drizzle'],
    [57, 'Freezing drizzle'],
    [61, 'Light rain'],
    [63, 'Rain'],
    [65, 'Heavy rain'],
    [66, 'Freezing rain'],
    [67, 'Freezing rain'],
    [71, 'Snow'],
    [77, 'Snow'],
    [80, 'Rain showers'],
    [82, 'Rain showers'],
    [85, 'Snow showers'],
    [86, 'Snow showers'],
    [95, 'Thunderstorm'],
    [99, 'Thunderstorm'],
    [4, 'Unknown'],
    [90, 'Unknown'],
  ])('reads WMO code %s as %s', (code, words) => {
    expect(describeWeatherCode(code)).toBe(words);
  });
});

describe('riskOf', () => {
  it.each([
    ['no forecast for the day', undefined, 'unknown'],
    [
      'a day with no values at all',
      day({ weatherCode: null, precipitationMm: null, precipitationProbability: null, windMaxMph: null }),
      'unknown',
    ],
    ['a clear calm day', day(), 'low'],
    ['a 60 % chance of rain', day({ precipitationProbability: 60 }), 'high'],
    ['5 mm of rain', day({ precipitationMm: 5 }), 'high'],
    ['25 mph of wind', day({ windMaxMph: 25 }), 'high'],
    ['a thunderstorm whatever the amounts', day({ weatherCode: 95 }), 'high'],
    ['freezing drizzle', day({ weatherCode: 56 }), 'high'],
    ['snow showers', day({ weatherCode: 85 }), 'high'],
    ['a 30 % chance of rain', day({ precipitationProbability: 30 }), 'moderate'],
    ['1 mm of rain', day({ precipitationMm: 1 }), 'moderate'],
    ['15 mph of wind', day({ windMaxMph: 15 }), 'moderate'],
    [
      'only a wind value known',
      day({ weatherCode: null, precipitationMm: null, precipitationProbability: null, windMaxMph: 3 }),
      'low',
    ],
  ])('gives %s the risk %s', (_label, forecast, risk) => {
    expect(riskOf(forecast)).toBe(risk);
  });
});

describe('summarizeDay', () => {
  it('says the sky, the chance and amount of rain, and the wind, rounded', () => {
    expect(
      summarizeDay(day({ weatherCode: 63, precipitationProbability: 90, precipitationMm: 14.63, windMaxMph: 21.72 })),
    ).toBe('Rain (90% chance of rain, 14.6 mm), wind up to 21.7 mph');
  });

  it('leaves out what is not known, and a dry day has no amount', () => {
    expect(
      summarizeDay(day({ weatherCode: 0, precipitationProbability: null, precipitationMm: 0, windMaxMph: null })),
    ).toBe('Clear sky');
  });
});

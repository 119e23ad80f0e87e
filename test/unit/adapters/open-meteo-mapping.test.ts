import { describe, expect, it } from 'vitest';
import { toForecasts, toPlace } from '../../../src/adapters/weather/open-meteo-mapping.js';

describe('toPlace', () => {
  it('maps a geocoding result, with null for a region or country Open-Meteo left out', () => {
    expect(
      toPlace({ name: 'Tampa', latitude: 27.9, longitude: -82.4, admin1: 'Florida', country: 'United States' }),
    ).toEqual({ name: 'Tampa', region: 'Florida', country: 'United States', latitude: 27.9, longitude: -82.4 });
    expect(toPlace({ name: 'Somewhere', latitude: 1, longitude: 2 })).toEqual({
      name: 'Somewhere',
      region: null,
      country: null,
      latitude: 1,
      longitude: 2,
    });
  });
});

describe('toForecasts', () => {
  const daily = {
    time: ['2026-12-01', '2026-12-02', '2026-12-03'],
    weather_code: [63, null, 0],
    temperature_2m_max: [70.1, 71.2, 72.3],
    temperature_2m_min: [60.1, 61.2],
    precipitation_sum: [12.5, 0, 0],
    precipitation_probability_max: [90, 10, 0],
  };

  it('keeps the first `days` days and reads each column by position', () => {
    expect(toForecasts(daily, 2)).toEqual([
      {
        date: '2026-12-01',
        weatherCode: 63,
        tempMaxF: 70.1,
        tempMinF: 60.1,
        precipitationMm: 12.5,
        precipitationProbability: 90,
        windMaxMph: null,
      },
      {
        date: '2026-12-02',
        weatherCode: null,
        tempMaxF: 71.2,
        tempMinF: 61.2,
        precipitationMm: 0,
        precipitationProbability: 10,
        windMaxMph: null,
      },
    ]);
  });

  it('reads a missing column, a null or a short column as null, never as 0', () => {
    const [, , third] = toForecasts(daily, 10);
    expect(third).toMatchObject({ date: '2026-12-03', weatherCode: 0, tempMinF: null, windMaxMph: null });
    expect(toForecasts(daily, 10)).toHaveLength(3);
  });
});

import { describe, expect, it } from 'vitest';
import { withPlaceCache } from '../../../src/adapters/weather/place-cache.js';
import type { Place, WeatherApi } from '../../../src/ports/weather.js';

const tampa: Place = { name: 'Tampa', region: 'Florida', country: 'United States', latitude: 27.9, longitude: -82.4 };

function recordingWeather(answers: Record<string, Place | undefined | Error>) {
  const asked: string[] = [];
  const api: WeatherApi = {
    async findPlace(query, countryCode) {
      asked.push(`${countryCode}|${query}`);
      const answer = answers[query];
      if (answer instanceof Error) throw answer;
      return answer;
    },
    async dailyForecast() {
      asked.push('forecast');
      return [];
    },
  };
  return { api, asked };
}

describe('withPlaceCache', () => {
  it('geocodes a job site once, whatever the case or spacing of the query', async () => {
    const { api, asked } = recordingWeather({ '33602': tampa, ' 33602 ': tampa });
    const cached = withPlaceCache(api);
    expect(await cached.findPlace('33602', 'US')).toEqual(tampa);
    expect(await cached.findPlace(' 33602 ', 'US')).toEqual(tampa);
    expect(asked).toEqual(['US|33602']);
  });

  it('keeps countries apart, and forwards every forecast', async () => {
    const { api, asked } = recordingWeather({ '33602': tampa });
    const cached = withPlaceCache(api);
    await cached.findPlace('33602', 'US');
    await cached.findPlace('33602', 'CA');
    await cached.dailyForecast(tampa, 3);
    await cached.dailyForecast(tampa, 3);
    expect(asked).toEqual(['US|33602', 'CA|33602', 'forecast', 'forecast']);
  });

  it('does not remember "nothing matches" or a failure', async () => {
    const { api, asked } = recordingWeather({ nowhere: undefined, down: new Error('503') });
    const cached = withPlaceCache(api);
    expect(await cached.findPlace('nowhere', 'US')).toBeUndefined();
    expect(await cached.findPlace('nowhere', 'US')).toBeUndefined();
    await expect(cached.findPlace('down', 'US')).rejects.toThrow('503');
    await expect(cached.findPlace('down', 'US')).rejects.toThrow('503');
    expect(asked).toEqual(['US|nowhere', 'US|nowhere', 'US|down', 'US|down']);
  });

  it('forgets the oldest place past its bound', async () => {
    const { api, asked } = recordingWeather({ a: tampa, b: tampa, c: tampa });
    const cached = withPlaceCache(api, 2);
    for (const q of ['a', 'b', 'c', 'c', 'b', 'a']) await cached.findPlace(q, 'US');
    expect(asked).toEqual(['US|a', 'US|b', 'US|c', 'US|a']);
  });
});

/**
 * USE_MOCK_API=true: weather from openapi/weather.yaml's own examples, in-process, like PF360,
 * so a mock stage needs no network at all.
 */
import { weatherExamples } from '../../../generated/catalog/weather-examples.js';
import type { DayForecast, Place, WeatherApi } from '../../ports/weather.js';

export class ExampleWeatherClient implements WeatherApi {
  async findPlace(): Promise<Place | undefined> {
    const first = Object.values(weatherExamples.searchLocation['200'])[0];
    const result = first && 'results' in first ? first.results[0] : undefined;
    return result
      ? {
          name: result.name,
          region: result.admin1,
          country: result.country,
          latitude: result.latitude,
          longitude: result.longitude,
        }
      : undefined;
  }

  async dailyForecast(_place: unknown, days: number): Promise<DayForecast[]> {
    const example = Object.values(weatherExamples.getForecast['200'])[0];
    if (!example) return [];
    const d = example.daily;
    return d.time.slice(0, days).map((date, i) => ({
      date,
      weatherCode: d.weather_code[i] ?? null,
      tempMaxF: d.temperature_2m_max[i] ?? null,
      tempMinF: d.temperature_2m_min[i] ?? null,
      precipitationMm: d.precipitation_sum[i] ?? null,
      precipitationProbability: d.precipitation_probability_max[i] ?? null,
      windMaxMph: d.wind_speed_10m_max[i] ?? null,
    }));
  }
}

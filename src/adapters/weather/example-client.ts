/**
 * USE_MOCK_API=true: weather from openapi/weather.yaml's own examples, in-process, like PF360,
 * so a mock stage needs no network at all.
 */
import { weatherExamples } from '../../../generated/catalog/weather-examples.js';
import type { DayForecast, Place, WeatherApi } from '../../ports/weather.js';
import { toForecasts, toPlace } from './open-meteo-mapping.js';

export class ExampleWeatherClient implements WeatherApi {
  async findPlace(): Promise<Place | undefined> {
    const first = Object.values(weatherExamples.searchLocation['200'])[0];
    const result = first && 'results' in first ? first.results[0] : undefined;
    return result ? toPlace(result) : undefined;
  }

  async dailyForecast(_place: unknown, days: number): Promise<DayForecast[]> {
    const example = Object.values(weatherExamples.getForecast['200'])[0];
    return example ? toForecasts(example.daily, days) : [];
  }
}

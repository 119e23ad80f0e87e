/**
 * USE_MOCK_API=true: weather from openapi/weather.yaml's own examples, in-process, like PF360 (and
 * on the same calendar: example-calendar.ts), so a mock stage needs no network at all.
 */
import { weatherExamples } from '../../../generated/catalog/weather-examples.js';
import type { DayForecast, Place, WeatherApi } from '../../ports/weather.js';
import { type ExampleCalendar, onToday } from '../example-calendar.js';
import { toForecasts, toPlace } from './open-meteo-mapping.js';

export class ExampleWeatherClient implements WeatherApi {
  constructor(private readonly calendar: ExampleCalendar) {}

  async findPlace(): Promise<Place | undefined> {
    const first = Object.values(weatherExamples.searchLocation['200'])[0];
    const result = first && 'results' in first ? first.results[0] : undefined;
    return result ? toPlace(result) : undefined;
  }

  async dailyForecast(_place: unknown, days: number): Promise<DayForecast[]> {
    const example = Object.values(weatherExamples.getForecast['200'])[0];
    return example ? toForecasts(onToday(example, this.calendar).daily, days) : [];
  }
}

/**
 * Open-Meteo (keyless): geocoding by name or postcode, then a daily forecast for the
 * coordinate, typed by openapi/weather.yaml, validated, under the same timeout/retry policy as
 * the PF360 client.
 */
import createClient from 'openapi-fetch';
import type { paths } from '../../../generated/types/weather.js';
import * as validators from '../../../generated/validators/weather.cjs';
import type { HttpPolicyConfig } from '../../config/env.js';
import { AppError } from '../../domain/errors.js';
import type { Logger } from '../../observability/logger.js';
import type { DayForecast, Place, WeatherApi } from '../../ports/weather.js';
import { createResilientFetch } from '../http/resilient-fetch.js';
import { callUpstream, type FetchResult, type UpstreamCall } from '../http/upstream-call.js';
import { toForecasts, toPlace } from './open-meteo-mapping.js';

const service = 'The weather service';
const daily = [
  'weather_code',
  'temperature_2m_max',
  'temperature_2m_min',
  'precipitation_sum',
  'precipitation_probability_max',
  'wind_speed_10m_max',
] as const;

export interface OpenMeteoOptions {
  forecastBaseUrl: string;
  geocodingBaseUrl: string;
  policy: HttpPolicyConfig;
  logger: Logger;
  fetch?: typeof fetch;
}

export class OpenMeteoClient implements WeatherApi {
  private readonly forecast;
  private readonly geocoding;
  private readonly logger: Logger;

  constructor(options: OpenMeteoOptions) {
    this.logger = options.logger;
    const fetch = createResilientFetch(options.policy, {
      upstream: service,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      onAttempt: (info) => this.logger.debug('weather attempt', { ...info }),
    });
    const querySerializer = { array: { style: 'form', explode: false } } as const;
    this.forecast = createClient<paths>({ baseUrl: options.forecastBaseUrl, fetch, querySerializer });
    this.geocoding = createClient<paths>({ baseUrl: options.geocodingBaseUrl, fetch, querySerializer });
  }

  private call<T>(
    operation: 'getForecast' | 'searchLocation',
    validate: UpstreamCall<T>['validate'],
    run: () => Promise<FetchResult<T>>,
  ): Promise<T> {
    return callUpstream({
      upstream: 'weather',
      spec: 'openapi/weather.yaml',
      operation,
      logger: this.logger,
      validate,
      run,
      unreadable: (cause) =>
        new AppError('weather_invalid_response', `${service} sent an answer that could not be read.`, { cause }),
      failed: (response) =>
        new AppError(
          'weather_error',
          `${service} is not answering properly right now (HTTP ${response.status}); try again later.`,
          { upstreamStatus: response.status },
        ),
      invalid: () => new AppError('weather_invalid_response', `${service} sent an answer in an unexpected format.`),
    });
  }

  async findPlace(query: string, countryCode?: string): Promise<Place | undefined> {
    const body = await this.call('searchLocation', validators.searchLocation, () =>
      this.geocoding.GET('/v1/search', {
        params: {
          query: { name: query, count: 1, language: 'en', format: 'json', ...(countryCode ? { countryCode } : {}) },
        },
      }),
    );
    const first = body.results?.[0];
    return first ? toPlace(first) : undefined;
  }

  async dailyForecast(place: Pick<Place, 'latitude' | 'longitude'>, days: number): Promise<DayForecast[]> {
    const body = await this.call('getForecast', validators.getForecast, () =>
      this.forecast.GET('/v1/forecast', {
        params: {
          query: {
            latitude: place.latitude,
            longitude: place.longitude,
            daily: [...daily],
            timezone: 'auto',
            forecast_days: days,
            temperature_unit: 'fahrenheit',
            wind_speed_unit: 'mph',
            precipitation_unit: 'mm',
          },
        },
      }),
    );
    return toForecasts(body.daily, days);
  }
}

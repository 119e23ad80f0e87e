/** Daily forecasts for a place; adapters map failures to UpstreamError / UpstreamTimeoutError. */

export interface Place {
  name: string;
  region: string | null;
  country: string | null;
  latitude: number;
  longitude: number;
}

/** One day of forecast in US units (the customers are US homeowners). */
export interface DayForecast {
  date: string;
  weatherCode: number | null;
  tempMaxF: number | null;
  tempMinF: number | null;
  precipitationMm: number | null;
  precipitationProbability: number | null;
  windMaxMph: number | null;
}

export interface WeatherApi {
  /** A place by name or postal code, or undefined when nothing matches. */
  findPlace(query: string, countryCode?: string): Promise<Place | undefined>;
  /** Up to `days` days (1-16) from today in the place's own time zone. */
  dailyForecast(place: Pick<Place, 'latitude' | 'longitude'>, days: number): Promise<DayForecast[]>;
}

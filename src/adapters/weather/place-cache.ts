import type { Place, WeatherApi } from '../../ports/weather.js';

/**
 * Remembers the places findPlace found for the life of the Lambda container: a job site's
 * coordinates do not change, and every weather-aware get_available_dates and get_weather would
 * otherwise geocode the same postcode again before asking for the forecast. "Nothing matches"
 * and failures are not remembered. Bounded: past `maxEntries`, the oldest entry goes.
 */
export function withPlaceCache(weather: WeatherApi, maxEntries = 500): WeatherApi {
  const places = new Map<string, Place>();
  return {
    async findPlace(query, countryCode) {
      const key = `${countryCode ?? ''}|${query.trim().toLowerCase()}`;
      const known = places.get(key);
      if (known) return known;
      const place = await weather.findPlace(query, countryCode);
      if (place) {
        if (places.size >= maxEntries) places.delete(places.keys().next().value ?? key);
        places.set(key, place);
      }
      return place;
    },
    dailyForecast: (place, days) => weather.dailyForecast(place, days),
  };
}

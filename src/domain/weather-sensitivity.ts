/**
 * Which project categories are weather-sensitive (outdoor work that rain or wind delays), in
 * one place. Categories are PF360 free text ("Roofing", "Deck Repair", "Exterior Painting"), so
 * we match on keywords.
 */
export const weatherSensitiveKeywords = [
  'roof',
  'siding',
  'deck',
  'exterior',
  'outdoor',
  'window',
  'gutter',
  'fenc',
  'patio',
  'concrete',
  'paving',
  'landscap',
] as const;

export function isWeatherSensitive(category: string | null | undefined): boolean {
  const text = (category ?? '').toLowerCase();
  return weatherSensitiveKeywords.some((keyword) => text.includes(keyword));
}

import { describe, expect, it } from 'vitest';
import { isWeatherSensitive, weatherSensitiveKeywords } from '../../../src/domain/weather-sensitivity.js';

describe('isWeatherSensitive', () => {
  it.each([
    'Roofing',
    'Deck Repair',
    'Exterior Painting',
    'Windows',
    'Siding',
    'Gutter Installation',
    'Fencing',
    'Patio Pavers',
    'Concrete Driveway',
    'Landscaping',
    'Outdoor Lighting',
  ])('says %s is weather-sensitive', (category) => {
    // Act
    const sensitive = isWeatherSensitive(category);

    // Assess
    expect(sensitive).toBe(true);
  });

  it.each(['Flooring', 'Kitchen Cabinets', 'Interior Painting', 'Plumbing', 'Carpet', ''])(
    'says %j is not weather-sensitive',
    (category) => {
      // Act
      const sensitive = isWeatherSensitive(category);

      // Assess
      expect(sensitive).toBe(false);
    },
  );

  it.each(['ROOFING', 'roofing', 'rOoFiNg', 'DECK REPAIR', 'exterior painting'])(
    'matches %s whatever its case',
    (category) => {
      // Act
      const sensitive = isWeatherSensitive(category);

      // Assess
      expect(sensitive).toBe(true);
    },
  );

  it.each([null, undefined])('says a missing category (%s) is not weather-sensitive', (category) => {
    // Act
    const sensitive = isWeatherSensitive(category);

    // Assess
    expect(sensitive).toBe(false);
  });

  it('keeps every keyword in lower case so the case-insensitive match can work', () => {
    // Assess
    for (const keyword of weatherSensitiveKeywords) {
      expect(keyword).toBe(keyword.toLowerCase());
    }
  });
});

import { describe, expect, it } from 'vitest';
import { dateIn, isValidTimeZone, pf360Timestamp, splitPf360DateTime, weekdayOf } from '../../../src/domain/time.js';

describe('pf360Timestamp', () => {
  it('writes the time in Asia/Kolkata as MM-DD-YYYY HH:MM:SS', () => {
    // Act
    const stamp = pf360Timestamp(new Date('2026-11-25T14:12:10Z'), 'Asia/Kolkata');

    // Assess
    expect(stamp).toBe('11-25-2026 19:42:10');
  });

  it.each([
    ['midnight in Kolkata is hour 00 of the next day', '2026-11-25T18:30:00Z', 'Asia/Kolkata', '11-26-2026 00:00:00'],
    ['a second before midnight stays on the same day', '2026-11-25T18:29:59Z', 'Asia/Kolkata', '11-25-2026 23:59:59'],
    ['New Year rolls the month and the year', '2026-12-31T18:30:05Z', 'Asia/Kolkata', '01-01-2027 00:00:05'],
    ['a UTC midnight is written as 00, not 24', '2026-03-01T00:00:00Z', 'UTC', '03-01-2026 00:00:00'],
    ['New York evening is still the previous day', '2026-11-26T02:00:00Z', 'America/New_York', '11-25-2026 21:00:00'],
    ['a leap day is kept', '2028-02-29T12:00:00Z', 'UTC', '02-29-2028 12:00:00'],
  ])('handles the case where %s', (_label, iso, zone, expected) => {
    // Act
    const stamp = pf360Timestamp(new Date(iso), zone);

    // Assess
    expect(stamp).toBe(expected);
  });

  it('uses a 24-hour clock for afternoon times', () => {
    // Act
    const stamp = pf360Timestamp(new Date('2026-06-15T15:04:05Z'), 'UTC');

    // Assess
    expect(stamp).toBe('06-15-2026 15:04:05');
  });
});

describe('dateIn', () => {
  it.each([
    ['2026-11-26T02:00:00Z', 'America/New_York', '2026-11-25'],
    ['2026-11-26T02:00:00Z', 'UTC', '2026-11-26'],
    ['2026-11-25T18:30:00Z', 'Asia/Kolkata', '2026-11-26'],
    ['2026-11-25T18:29:59Z', 'Asia/Kolkata', '2026-11-25'],
    ['2026-11-25T10:30:00Z', 'Pacific/Kiritimati', '2026-11-26'],
    ['2026-11-25T10:30:00Z', 'Pacific/Pago_Pago', '2026-11-24'],
    ['2027-01-01T04:59:59Z', 'America/New_York', '2026-12-31'],
    ['2027-01-01T05:00:00Z', 'America/New_York', '2027-01-01'],
  ])('gives the calendar date of %s in %s as %s', (iso, zone, expected) => {
    // Act
    const date = dateIn(new Date(iso), zone);

    // Assess
    expect(date).toBe(expected);
  });

  it('follows daylight saving time: 04:30Z is the previous day in New York in summer only', () => {
    // Act
    const summer = dateIn(new Date('2026-07-15T04:30:00Z'), 'America/New_York');
    const winter = dateIn(new Date('2026-01-15T04:30:00Z'), 'America/New_York');

    // Assess
    expect(summer).toBe('2026-07-15');
    expect(winter).toBe('2026-01-14');
  });
});

describe('weekdayOf', () => {
  it.each([
    ['2026-11-25', 'Wednesday'],
    ['2026-11-26', 'Thursday'],
    ['2026-11-29', 'Sunday'],
    ['2026-11-28', 'Saturday'],
    ['2026-11-30', 'Monday'],
    ['2028-02-29', 'Tuesday'],
    ['2027-01-01', 'Friday'],
  ])('says %s is a %s', (date, expected) => {
    // Act
    const day = weekdayOf(date);

    // Assess
    expect(day).toBe(expected);
  });

  it.each(['', 'not a date', '2026-13-40'])('returns an empty string for %j', (date) => {
    // Act
    const day = weekdayOf(date);

    // Assess
    expect(day).toBe('');
  });
});

describe('splitPf360DateTime', () => {
  it.each([
    ['2026-12-03 08:00:00', '2026-12-03', '08:00 AM'],
    ['2026-12-03 13:30:00', '2026-12-03', '01:30 PM'],
    ['2026-12-03 00:15:00', '2026-12-03', '12:15 AM'],
    ['2026-12-03 12:00:00', '2026-12-03', '12:00 PM'],
    ['2026-12-03 11:59:59', '2026-12-03', '11:59 AM'],
    ['2026-12-03 23:45:00', '2026-12-03', '11:45 PM'],
    ['2026-12-03T09:05:00', '2026-12-03', '09:05 AM'],
    ['2026-12-03 17:00', '2026-12-03', '05:00 PM'],
  ])('splits %s into %s and %s', (value, date, time) => {
    // Act
    const result = splitPf360DateTime(value);

    // Assess
    expect(result).toStrictEqual({ date, time });
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an empty string', ''],
    ['a date without a time', '2026-12-03'],
    ['garbage', 'tomorrow morning'],
    ['a US-style timestamp', '12-03-2026 08:00:00'],
    ['a single-digit hour', '2026-12-03 8:00:00'],
  ])('returns undefined for %s', (_label, value) => {
    // Act
    const result = splitPf360DateTime(value);

    // Assess
    expect(result).toBeUndefined();
  });
});

describe('isValidTimeZone', () => {
  it.each([
    ['America/New_York', true],
    ['Asia/Kolkata', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
    ['EST5EDT,M3.2.0', false],
  ])('says %j is valid: %s', (zone, expected) => {
    // Act
    const valid = isValidTimeZone(zone);

    // Assess
    expect(valid).toBe(expected);
  });
});

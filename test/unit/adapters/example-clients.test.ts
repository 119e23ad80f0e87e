/** A USE_MOCK_API stage keeps offering dates: the examples move onto today's calendar, PF360's and the weather's together. */
import { describe, expect, it } from 'vitest';
import { pf360Examples } from '../../../generated/catalog/pf360-examples.js';
import { weatherExamples } from '../../../generated/catalog/weather-examples.js';
import type { ExampleCalendar } from '../../../src/adapters/example-calendar.js';
import { ExamplePf360Client } from '../../../src/adapters/pf360/example-client.js';
import { ExampleWeatherClient } from '../../../src/adapters/weather/example-client.js';
import { addDays, daysBetween } from '../../../src/domain/example-dates.js';
import type { Pf360Api } from '../../../src/ports/pf360.js';

/** Through the port, as the operations call it. */
const pf360 = (calendar: ExampleCalendar): Pf360Api => new ExamplePf360Client(calendar);
const who = { clientId: '09PF05VD', customerId: '1645975', authToken: 't' };
const committed = Object.values(pf360Examples.getReschedulerSlots['200'])[0]?.data.dates ?? [];
const forecastDays = Object.values(weatherExamples.getForecast['200'])[0]?.daily.time ?? [];

describe('the example clients', () => {
  it('offer the committed dates on the day the examples were written for', async () => {
    // Prepare: the day before the first open date, 10:00 in New York.
    const calendar = { clock: () => new Date('2026-11-29T15:00:00Z'), timeZone: 'America/New_York' };

    // Act
    const slots = await pf360(calendar).getReschedulerSlots(who, '12347', {
      date: '2026-11-29',
      selectedDate: '2026-11-29',
    });

    // Assess
    expect(slots.dates).toEqual(committed);
  });

  it('move every date so that the first open date is tomorrow, and the forecast with them', async () => {
    // Prepare: 20:00 on 2027-03-14 in New York (already the 15th in UTC).
    const calendar = { clock: () => new Date('2027-03-15T00:00:00Z'), timeZone: 'America/New_York' };
    const days = daysBetween(committed[0] ?? '', '2027-03-15');

    // Act
    const slots = await pf360(calendar).getReschedulerSlots(who, '12347', {
      date: '2027-03-14',
      selectedDate: '2027-03-14',
    });
    const forecast = await new ExampleWeatherClient(calendar).dailyForecast({ latitude: 0, longitude: 0 }, 16);

    // Assess
    expect(slots.dates[0]).toBe('2027-03-15');
    expect(slots.dates).toEqual(committed.map((date) => addDays(date, days)));
    expect(forecast.map((d) => d.date)).toEqual(forecastDays.slice(0, 16).map((date) => addDays(date, days)));
  });

  it('leave the committed examples themselves untouched', async () => {
    // Prepare
    const before = JSON.stringify(pf360Examples.getReschedulerSlots);

    // Act
    await pf360({ clock: () => new Date('2030-01-01T12:00:00Z'), timeZone: 'UTC' }).getReschedulerSlots(who, '12347', {
      date: '2030-01-01',
      selectedDate: '2030-01-01',
    });

    // Assess
    expect(JSON.stringify(pf360Examples.getReschedulerSlots)).toBe(before);
  });

  it('answer a copy each time, even on the examples’ own calendar, so a caller changing one changes neither the next nor the examples', async () => {
    // Prepare: the day the examples were written for (nothing moves).
    const client = pf360({ clock: () => new Date('2026-11-29T15:00:00Z'), timeZone: 'America/New_York' });
    const before = JSON.stringify(pf360Examples.getDashboard);
    const first = await client.getDashboard(who);

    // Act
    (first[0] as { project_id?: unknown }).project_id = 'changed';
    first.length = 0;
    const second = await client.getDashboard(who);

    // Assess
    expect(second.length).toBeGreaterThan(0);
    expect(JSON.stringify(second[0])).not.toContain('changed');
    expect(JSON.stringify(pf360Examples.getDashboard)).toBe(before);
  });

  it('move the dates again when the day changes, for the same client', async () => {
    // Prepare: a clock the test moves, 10:00 in New York on the examples' own day.
    let now = new Date('2026-11-29T15:00:00Z');
    const client = pf360({ clock: () => now, timeZone: 'America/New_York' });
    const query = { date: '2026-11-29', selectedDate: '2026-11-29' };
    const today = await client.getReschedulerSlots(who, '12347', query);

    // Act
    now = new Date('2026-11-30T15:00:00Z');
    const tomorrow = await client.getReschedulerSlots(who, '12347', query);

    // Assess
    expect(today.dates).toEqual(committed);
    expect(tomorrow.dates).toEqual(committed.map((date) => addDays(date, 1)));
  });
});

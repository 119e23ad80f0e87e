/**
 * The calendar of the in-process example clients (USE_MOCK_API=true): PF360's and the weather's
 * spec examples move together, by the number of days that makes the first open date PF360's
 * example offers tomorrow in the given zone — so a mock stage keeps offering dates as the fixed
 * example dates pass (src/domain/example-dates.ts does the moving).
 */
import { pf360Examples } from '../../generated/catalog/pf360-examples.js';
import { shiftToTomorrow, shiftValue } from '../domain/example-dates.js';
import { dateIn } from '../domain/time.js';

const firstOpenDate = Object.values(pf360Examples.getReschedulerSlots['200'])[0]?.data.dates[0];
if (!firstOpenDate) throw new Error('openapi/pf360.yaml: the first getReschedulerSlots example offers no date');

export interface ExampleCalendar {
  clock: () => Date;
  /** The zone "tomorrow" is taken in: the stage's default customer zone. */
  timeZone: string;
}

/**
 * The latest shift of each example. Moving the dates walks every string of the example (about
 * 60 µs for the dashboard), and the number of days changes once a day, so it is done once per
 * example and day; each answer is a copy of it.
 */
const shifted = new WeakMap<object, { days: number; value: unknown }>();

/** A deep copy of `example` with its dates moved onto today's calendar. */
export function onToday<T>(example: T, calendar: ExampleCalendar): T {
  const days = shiftToTomorrow(firstOpenDate as string, dateIn(calendar.clock(), calendar.timeZone));
  if (typeof example !== 'object' || example === null) return shiftValue(example, days);
  let latest = shifted.get(example);
  if (latest?.days !== days) {
    latest = { days, value: shiftValue(example, days) };
    shifted.set(example, latest);
  }
  return structuredClone(latest.value) as T;
}

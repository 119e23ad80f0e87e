/** Calendar and clock helpers. Every function takes the time as an argument: no hidden clock. */

/** Building an Intl.DateTimeFormat costs far more than using one: keep one per time zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(now: Date, timeZone: string): Record<string, string> {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return Object.fromEntries(formatter.formatToParts(now).map((p) => [p.type, p.value]));
}

/** Whole seconds since the epoch: DynamoDB's TTL unit, and how a session's expiry is kept. */
export function epochSeconds(at: Date | number): number {
  return Math.floor((typeof at === 'number' ? at : at.getTime()) / 1000);
}

/** `YYYY-MM-DD` of `now` in `timeZone`. */
export function dateIn(now: Date, timeZone: string): string {
  const p = parts(now, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** PF360's `created_at`: `MM-DD-YYYY HH:MM:SS`, 24-hour, in `timeZone` (PF360 expects Asia/Kolkata). */
export function pf360Timestamp(now: Date, timeZone: string): string {
  const p = parts(now, timeZone);
  return `${p.month}-${p.day}-${p.year} ${p.hour}:${p.minute}:${p.second}`;
}

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Minutes since midnight of `now` in `timeZone`. */
export function minuteOfDayIn(now: Date, timeZone: string): number {
  const p = parts(now, timeZone);
  return Number(p.hour) * 60 + Number(p.minute);
}

/** Minutes since midnight of a PF360 slot such as `01:30 PM`; undefined for anything else. */
export function slotMinute(slot: string): number | undefined {
  const match = /^(0[1-9]|1[0-2]):([0-5][0-9]) (AM|PM)$/.exec(slot);
  if (!match) return undefined;
  const [, hh = '12', mm = '00', half] = match;
  return (Number(hh) % 12) * 60 + Number(mm) + (half === 'PM' ? 720 : 0);
}

/**
 * What may still be offered of PF360's dates and slots: nothing before today in the customer's
 * zone, and of today only the slots that have not started yet — whatever PF360 returns (its
 * answers can lag a day behind, and the local examples have fixed dates).
 */
export function notPast(now: Date, timeZone: string) {
  const today = dateIn(now, timeZone);
  const minute = minuteOfDayIn(now, timeZone);
  return {
    today,
    dates: (dates: readonly string[]) => dates.filter((date) => date >= today),
    slots: (date: string, slots: readonly string[]) =>
      date > today ? [...slots] : date < today ? [] : slots.filter((slot) => (slotMinute(slot) ?? -1) > minute),
  };
}

/** English weekday of a `YYYY-MM-DD` calendar date. */
export function weekdayOf(date: string): string {
  return weekdays[new Date(`${date}T12:00:00Z`).getUTCDay()] ?? '';
}

/** `2026-12-03 08:00:00` (PF360's converted schedule times) → `{ date, time: '08:00 AM' }`. */
export function splitPf360DateTime(value: string | null | undefined): { date: string; time: string } | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})/.exec(value ?? '');
  if (!match) return undefined;
  const [, date = '', hh = '0', mm = '00'] = match;
  const hour = Number(hh);
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return { date, time: `${String(h12).padStart(2, '0')}:${mm} ${hour < 12 ? 'AM' : 'PM'}` };
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The spec examples' dates, kept current: the PF360 and weather specs' examples carry fixed dates
 * (the first open date is 2026-11-30), which the calendar passes. Wherever the examples are served
 * — Prism under `npm start` (copies of the specs), the example clients of a USE_MOCK_API stage —
 * all their dates move by the same number of days, so that the first date the rescheduler
 * example offers is tomorrow. The committed specs keep their fixed dates, and the test suite runs
 * on the examples' own calendar (scripts/lib/examples-clock.mjs), where that number is 0.
 *
 * Pure: documents in, documents out. Only example values move (`example`, and the `value` of
 * each entry of `examples`, or the entries of a schema's `examples` array); schemas, patterns,
 * defaults, descriptions and summaries are left alone. In example strings, the dates moved are
 * PF360's formats: `YYYY-MM-DD` (also inside `YYYY-MM-DD HH:MM:SS`) and `MM-DD-YYYY` (its
 * `created_at`); anything that is not a real calendar date stays as it is. Weekday names in the
 * examples (the business hours) are not tied to a date, and the handlers compute an offered
 * date's weekday themselves, so they stay consistent.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const dayMs = 86_400_000;
/** `YYYY-MM-DD` or `MM-DD-YYYY`, not part of a longer run of digits. */
const datePattern = /(?<!\d)(?:(\d{4})-(\d{2})-(\d{2})|(\d{2})-(\d{2})-(\d{4}))(?!\d)/g;

/** Milliseconds since the epoch of a calendar date (UTC midnight), or undefined if there is no such date. */
function utc(year: number, month: number, day: number): number | undefined {
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return time;
}

function parseIsoDate(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const time = match ? utc(Number(match[1]), Number(match[2]), Number(match[3])) : undefined;
  if (time === undefined) throw new Error(`not a YYYY-MM-DD date: ${iso}`);
  return time;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function isoOf(time: number): string {
  const date = new Date(time);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** `iso` (YYYY-MM-DD) moved by `days` days. */
export function addDays(iso: string, days: number): string {
  return isoOf(parseIsoDate(iso) + days * dayMs);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((parseIsoDate(to) - parseIsoDate(from)) / dayMs);
}

/** Every date of PF360's formats in `text` moved by `days` days, each in its own format. */
export function shiftDatesInText(text: string, days: number): string {
  return text.replace(datePattern, (whole, y1, m1, d1, m2, d2, y2) => {
    const iso = y1 !== undefined;
    const time = iso ? utc(Number(y1), Number(m1), Number(d1)) : utc(Number(y2), Number(m2), Number(d2));
    if (time === undefined) return whole;
    const [year, month, day] = isoOf(time + days * dayMs).split('-');
    return iso ? `${year}-${month}-${day}` : `${month}-${day}-${year}`;
  });
}

/** An example value with every date in its strings moved. */
export function shiftValue<T>(value: T, days: number): T {
  if (typeof value === 'string') return shiftDatesInText(value, days) as T;
  if (Array.isArray(value)) return value.map((item) => shiftValue(item, days)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shiftValue(item, days)])) as T;
  }
  return value;
}

function shiftExamples(examples: Json, days: number): Json {
  // A schema's `examples` is an array of values; a media type's, parameter's or components'
  // `examples` maps names to Example objects, whose `value` is the example.
  if (Array.isArray(examples)) return shiftValue(examples, days);
  if (!examples || typeof examples !== 'object') return examples;
  return Object.fromEntries(
    Object.entries(examples).map(([name, example]) => [
      name,
      example && typeof example === 'object' && !Array.isArray(example) && 'value' in example
        ? { ...example, value: shiftValue(example.value, days) }
        : example,
    ]),
  );
}

/**
 * An OpenAPI document with the dates in its example values moved by `days` days. Keys of a
 * `properties` map are property names, not keywords: a property called `example` is a schema.
 */
export function shiftSpecExamples<T>(doc: T, days: number): T {
  const walk = (node: Json, namesOnly: boolean): Json => {
    if (Array.isArray(node)) return node.map((item) => walk(item, false));
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => {
        if (!namesOnly && key === 'example') return [key, shiftValue(value, days)];
        if (!namesOnly && key === 'examples') return [key, shiftExamples(value, days)];
        return [key, walk(value, !namesOnly && (key === 'properties' || key === 'patternProperties'))];
      }),
    );
  };
  return walk(doc as Json, false) as T;
}

/** The first date of the first example of PF360's rescheduler-slots answer (E2): the first open date. */
export function firstOfferedDate(pf360: unknown): string {
  const paths = (pf360 as { paths?: Record<string, Record<string, { operationId?: string; responses?: unknown }>> })
    .paths;
  for (const item of Object.values(paths ?? {})) {
    for (const operation of Object.values(item ?? {})) {
      if (operation?.operationId !== 'getReschedulerSlots') continue;
      const responses = operation.responses as Record<string, { content?: Record<string, { examples?: unknown }> }>;
      const examples = responses?.['200']?.content?.['application/json']?.examples as
        | Record<string, { value?: { data?: { dates?: unknown[] } } }>
        | undefined;
      const first = Object.values(examples ?? {})[0]?.value?.data?.dates?.[0];
      if (typeof first === 'string') return first;
    }
  }
  throw new Error('the PF360 spec has no getReschedulerSlots 200 example with dates');
}

/** How many days to move examples whose first open date is `firstOpen` so that it is the day after `today`. */
export function shiftToTomorrow(firstOpen: string, today: string): number {
  return daysBetween(firstOpen, addDays(today, 1));
}

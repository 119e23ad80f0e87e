import { describe, expect, it } from 'vitest';
import { readSpec } from '../../../scripts/lib/specs.js';
import {
  addDays,
  daysBetween,
  firstOfferedDate,
  shiftDatesInText,
  shiftSpecExamples,
  shiftToTomorrow,
} from '../../../src/domain/example-dates.js';

describe('calendar arithmetic', () => {
  it.each([
    ['2026-11-30', 2, '2026-12-02'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2026-12-02', -2, '2026-11-30'],
    ['2026-11-30', 0, '2026-11-30'],
  ])('%s moved %i days is %s', (from, days, to) => {
    expect(addDays(from, days)).toBe(to);
    expect(daysBetween(from, to)).toBe(days);
  });

  it('refuses what is not a date', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow('not a YYYY-MM-DD date: 2026-02-30');
  });
});

describe('shiftDatesInText', () => {
  it.each([
    ['2026-11-30', '2026-12-02'],
    ['2026-12-31', '2027-01-02'],
    ['2026-11-25 14:12:03', '2026-11-27 14:12:03'],
    // PF360's created_at: MM-DD-YYYY HH:MM:SS
    ['11-30-2026 19:42:10', '12-02-2026 19:42:10'],
    ['from 2026-11-30 to 2026-12-04', 'from 2026-12-02 to 2026-12-06'],
  ])('moves %j to %j (2 days)', (text, moved) => {
    expect(shiftDatesInText(text, 2)).toBe(moved);
  });

  it.each([
    'REQ-12347-1764061200',
    'CONF-1764088930',
    'ORD-2026-001',
    '08:00 AM',
    '+1-813-555-0147',
    '2026-13-01',
    '2026-02-30',
    '12026-11-30',
    '2026-11-300',
    '13-01-2026 10:00:00',
    'Cabinet delivery confirmed for the week of Nov 30.',
  ])('leaves %j alone', (text) => {
    expect(shiftDatesInText(text, 2)).toBe(text);
  });
});

describe('shiftSpecExamples', () => {
  const doc = {
    openapi: '3.0.3',
    info: { title: 'demo', version: '2026-10', description: 'Dates such as 2026-11-30.' },
    paths: {
      '/slots/{date}': {
        get: {
          parameters: [
            {
              name: 'date',
              in: 'path',
              description: 'e.g. 2026-11-30',
              schema: { type: 'string', format: 'date', pattern: '^2026-11-30|\\d{4}-\\d{2}-\\d{2}$' },
              example: '2026-11-30',
            },
          ],
          responses: {
            '200': {
              description: 'ok',
              content: {
                'application/json': {
                  schema: { $ref: '#/components/schemas/Slots' },
                  examples: {
                    open: {
                      summary: 'Open from 2026-11-30',
                      value: { dates: ['2026-11-30', '2026-12-01'], created_at: '11-25-2026 19:42:10', count: 2 },
                    },
                    elsewhere: { $ref: '#/components/examples/Later' },
                  },
                },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Slots: {
          type: 'object',
          description: 'Open dates from 2026-11-30.',
          properties: {
            dates: { type: 'array', items: { type: 'string', default: '2026-11-30' }, example: ['2026-11-30'] },
            // A property named like the keyword is a schema, not an example.
            example: { type: 'string', default: '2026-11-30', enum: ['2026-11-30'] },
            examples: { type: 'string', pattern: '^2026-11-30$' },
          },
          examples: [{ dates: ['2026-11-29'] }],
        },
      },
      examples: { Later: { summary: 'From 2026-12-31', value: { dates: ['2026-12-31'] } } },
    },
  };

  it('moves the dates of example values only, across a month and a year end', () => {
    const shifted = shiftSpecExamples(doc, 2);
    const get = shifted.paths['/slots/{date}'].get;
    expect(get.parameters[0]?.example).toBe('2026-12-02');
    expect(get.responses['200'].content['application/json'].examples.open).toEqual({
      summary: 'Open from 2026-11-30',
      value: { dates: ['2026-12-02', '2026-12-03'], created_at: '11-27-2026 19:42:10', count: 2 },
    });
    expect(shifted.components.examples.Later).toEqual({ summary: 'From 2026-12-31', value: { dates: ['2027-01-02'] } });
    expect(shifted.components.schemas.Slots.properties.dates.example).toEqual(['2026-12-02']);
    expect(shifted.components.schemas.Slots.examples).toEqual([{ dates: ['2026-12-01'] }]);
  });

  it('leaves schemas, patterns, defaults, descriptions and summaries alone, and its input unchanged', () => {
    const before = structuredClone(doc);
    const shifted = shiftSpecExamples(doc, 2);
    expect(doc).toEqual(before);
    const { example: _e, ...datesSchema } = shifted.components.schemas.Slots.properties.dates;
    const { example: _o, ...original } = doc.components.schemas.Slots.properties.dates;
    expect(datesSchema).toEqual(original);
    expect(shifted.components.schemas.Slots.properties.example).toEqual(
      doc.components.schemas.Slots.properties.example,
    );
    expect(shifted.components.schemas.Slots.properties.examples).toEqual(
      doc.components.schemas.Slots.properties.examples,
    );
    const { example: _p, ...parameter } = shifted.paths['/slots/{date}'].get.parameters[0] ?? {};
    const { example: _q, ...originalParameter } = doc.paths['/slots/{date}'].get.parameters[0] ?? {};
    expect(parameter).toEqual(originalParameter);
    expect(shifted.info).toEqual(doc.info);
  });
});

describe('the demo specs', () => {
  const pf360 = readSpec('pf360');
  const weather = readSpec('weather');
  const today = '2027-03-14';
  const days = shiftToTomorrow(firstOfferedDate(pf360), today);

  it('offer tomorrow as the first open date, whatever day it is', () => {
    expect(firstOfferedDate(pf360)).toBe('2026-11-30');
    expect(firstOfferedDate(shiftSpecExamples(pf360, days))).toBe('2027-03-15');
    expect(shiftToTomorrow(firstOfferedDate(pf360), '2026-11-29')).toBe(0);
    expect(shiftToTomorrow(firstOfferedDate(pf360), '2026-11-30')).toBe(1);
  });

  it("move PF360's and the weather's example dates together, and nothing else", () => {
    const shifted = { pf360: shiftSpecExamples(pf360, days), weather: shiftSpecExamples(weather, days) };
    const forecast = (doc: typeof weather) =>
      doc.paths['/v1/forecast'].get.responses['200'].content['application/json'].examples.tampa_with_rain.value.daily;
    const original = forecast(weather);
    expect(forecast(shifted.weather).time).toEqual(original.time.map((date: string) => addDays(date, days)));
    expect(forecast(shifted.weather).precipitation_sum).toEqual(original.precipitation_sum);
    const schedule =
      shifted.pf360.paths['/scheduler/client/{client_id}/project/{project_id}/schedule'].post.requestBody.content[
        'application/json'
      ].examples.book_offered_slot.value;
    expect(schedule).toMatchObject({ created_at: '03-10-2027 19:42:10', date: '2027-03-17', time: '10:00 AM' });
    expect(schedule.date).toBe(addDays('2026-12-02', days));
    for (const name of ['pf360', 'weather'] as const) {
      const doc = name === 'pf360' ? pf360 : weather;
      expect(shifted[name].components.schemas).toEqual(doc.components.schemas);
      expect(shifted[name].info).toEqual(doc.info);
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { EventHeader } from '../../../src/bedrock/event.js';
import { buildEnvelope, capBody } from '../../../src/bedrock/response.js';
import { errorBody } from '../../../src/domain/errors.js';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const marker = '… [truncated]';

/** True when `text` holds half of a surrogate pair (a character cut in two). */
const hasLoneSurrogate = (text: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

const dates = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}#${i}`,
  );

function parsed(json: string): Record<string, unknown> {
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
  return value as Record<string, unknown>;
}

function listOf(body: Record<string, unknown>, key: string): unknown[] {
  const value = body[key];
  if (!Array.isArray(value)) throw new Error(`${key} is not a list`);
  return value;
}

describe('capBody', () => {
  it('returns a small body unchanged with its status', () => {
    // Prepare
    const body = { project_id: '12347', dates: ['2026-12-02', '2026-12-03'], message: 'Two dates are open.' };

    // Act
    const result = capBody(200, body, 25_000);

    // Assess
    expect(result).toStrictEqual({ status: 200, json: JSON.stringify(body) });
  });

  it('keeps an error status for a small error body', () => {
    // Act
    const result = capBody(404, errorBody('project_not_found', 'No such project.'), 25_000);

    // Assess
    expect(result).toStrictEqual({
      status: 404,
      json: '{"error":"No such project.","error_type":"project_not_found"}',
    });
  });

  it('returns a body of exactly maxBytes unchanged', () => {
    // Prepare
    const body = { text: 'x'.repeat(100) };
    const size = bytes(JSON.stringify(body));

    // Act
    const result = capBody(200, body, size);

    // Assess
    expect(result.json).toBe(JSON.stringify(body));
    expect(parsed(result.json).truncated).toBeUndefined();
  });

  it('cuts a long list to the leading items that fit and marks it truncated with the original count', () => {
    // Prepare
    const all = dates(200);
    const body = { project_id: '12347', dates: all };
    const maxBytes = 1000;

    // Act
    const result = capBody(200, body, maxBytes);

    // Assess
    const out = parsed(result.json);
    const kept = listOf(out, 'dates');
    expect(result.status).toBe(200);
    expect(bytes(result.json)).toBeLessThanOrEqual(maxBytes);
    expect(out.truncated).toBe(true);
    expect(out.total).toBe(200);
    expect(out.project_id).toBe('12347');
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toStrictEqual(all.slice(0, kept.length));
  });

  it('keeps as many items as fit: one more would exceed maxBytes', () => {
    // Prepare
    const all = dates(200);
    const maxBytes = 1500;

    // Act
    const result = capBody(200, { dates: all }, maxBytes);

    // Assess
    const kept = listOf(parsed(result.json), 'dates');
    const oneMore = JSON.stringify({ dates: all.slice(0, kept.length + 1), total: 200, truncated: true });
    expect(bytes(oneMore)).toBeGreaterThan(maxBytes);
  });

  it('keeps the total the body already carries', () => {
    // Prepare
    const body = { total: 5000, items: dates(300) };

    // Act
    const result = capBody(200, body, 1200);

    // Assess
    const out = parsed(result.json);
    expect(out.total).toBe(5000);
    expect(out.truncated).toBe(true);
    expect(bytes(result.json)).toBeLessThanOrEqual(1200);
  });

  it('cuts the largest list and leaves the smaller ones whole', () => {
    // Prepare
    const small = ['a', 'b', 'c'];
    const big = dates(300);

    // Act
    const result = capBody(200, { small, big }, 1500);

    // Assess
    const out = parsed(result.json);
    expect(out.small).toStrictEqual(small);
    expect(listOf(out, 'big').length).toBeLessThan(big.length);
    expect(out.total).toBe(300);
  });

  it('keeps no items when even one does not fit, and still reports the total', () => {
    // Prepare
    const body = { items: ['y'.repeat(400), 'z'.repeat(400)] };

    // Act
    const result = capBody(200, body, 300);

    // Assess
    const out = parsed(result.json);
    expect(bytes(result.json)).toBeLessThanOrEqual(300);
    expect(out.truncated).toBe(true);
    expect(out.total).toBe(2);
    expect(listOf(out, 'items').every((item) => typeof item === 'string' && item.length < 400)).toBe(true);
  });

  it('counts multi-byte characters in UTF-8 bytes, not string length', () => {
    // Prepare: each item is 4 CJK characters (12 bytes) and 1 emoji (4 bytes).
    const all = Array.from({ length: 100 }, (_, i) => `漢字漢字😀${i}`);
    const body = { items: all };
    const maxBytes = 1500;
    expect(JSON.stringify(body).length).toBeLessThan(maxBytes);
    expect(bytes(JSON.stringify(body))).toBeGreaterThan(maxBytes);

    // Act
    const result = capBody(200, body, maxBytes);

    // Assess
    const out = parsed(result.json);
    const kept = listOf(out, 'items');
    expect(bytes(result.json)).toBeLessThanOrEqual(maxBytes);
    expect(out.truncated).toBe(true);
    expect(out.total).toBe(100);
    expect(kept).toStrictEqual(all.slice(0, kept.length));
  });

  it('shortens one huge string to 2000 characters with a visible marker', () => {
    // Prepare
    const body = { project_id: '12347', description: 'd'.repeat(50_000) };

    // Act
    const result = capBody(200, body, 25_000);

    // Assess
    const out = parsed(result.json);
    expect(result.status).toBe(200);
    expect(out.description).toBe(`${'d'.repeat(2000)}${marker}`);
    expect(out.project_id).toBe('12347');
    expect(out.truncated).toBe(true);
    expect(bytes(result.json)).toBeLessThanOrEqual(25_000);
  });

  it('shortens further, to 500 then 100 characters, when 2000 do not fit', () => {
    // Prepare
    const body = { a: 'a'.repeat(5000), b: 'b'.repeat(5000) };

    // Act
    const at500 = capBody(200, body, 1200);
    const at100 = capBody(200, body, 400);

    // Assess
    expect(parsed(at500.json).a).toBe(`${'a'.repeat(500)}${marker}`);
    expect(parsed(at100.json).b).toBe(`${'b'.repeat(100)}${marker}`);
  });

  it('shortens strings nested inside objects and lists', () => {
    // Prepare
    const body = { project: { notes: [{ text: 'n'.repeat(40_000) }] } };

    // Act
    const result = capBody(200, body, 25_000);

    // Assess
    expect(parsed(result.json).project).toStrictEqual({ notes: [{ text: `${'n'.repeat(2000)}${marker}` }] });
  });

  it('leaves numbers, booleans and null alone when it shortens strings', () => {
    // Prepare
    const body = { count: 3, ok: false, missing: null, text: 't'.repeat(30_000) };

    // Act
    const result = capBody(200, body, 25_000);

    // Assess
    const out = parsed(result.json);
    expect(out.count).toBe(3);
    expect(out.ok).toBe(false);
    expect(out.missing).toBeNull();
  });

  it('never returns more than maxBytes after shortening a string in a body without lists', () => {
    // Prepare: the shortened body fits with a few bytes to spare, fewer than the truncated flag needs.
    const body = { text: 'x'.repeat(5000) };
    const shortened = JSON.stringify({ text: `${'x'.repeat(2000)}${marker}` });
    const maxBytes = bytes(shortened) + 4;

    // Act
    const result = capBody(200, body, maxBytes);

    // Assess
    expect(bytes(result.json)).toBeLessThanOrEqual(maxBytes);
  });

  it('never cuts an emoji in half when it shortens a string', () => {
    // Prepare: one ASCII letter first, so the 2000th UTF-16 unit is the first half of an emoji.
    const body = { text: `a${'😀'.repeat(20_000)}` };

    // Act
    const result = capBody(200, body, 25_000);

    // Assess
    const text = parsed(result.json).text;
    expect(typeof text).toBe('string');
    expect(hasLoneSurrogate(String(text))).toBe(false);
  });

  it('keeps the items of a short list when only a huge string makes the body too large', () => {
    // Prepare
    const notes = [
      { id: '1', text: 'Gate code 4411' },
      { id: '2', text: 'Dog in the yard' },
    ];
    const body = { project_id: '12347', notes, description: 'd'.repeat(40_000) };

    // Act
    const result = capBody(200, body, 25_000);

    // Assess
    const out = parsed(result.json);
    expect(bytes(result.json)).toBeLessThanOrEqual(25_000);
    expect(out.description).toBe(`${'d'.repeat(2000)}${marker}`);
    expect(out.notes).toStrictEqual(notes);
  });

  it('answers 500 response_too_large when nothing makes the body fit', () => {
    // Prepare
    const body = { text: 'x'.repeat(1000) };

    // Act
    const result = capBody(200, body, 60);

    // Assess
    expect(result.status).toBe(500);
    expect(parsed(result.json)).toStrictEqual({
      error: 'The answer was too large to return; ask for something narrower.',
      error_type: 'response_too_large',
    });
  });

  it('answers 500 response_too_large for a body of many small fields', () => {
    // Prepare
    const body = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field_${i}`, i]));

    // Act
    const result = capBody(200, body, 1000);

    // Assess
    expect(result.status).toBe(500);
    expect(parsed(result.json).error_type).toBe('response_too_large');
  });

  it.each([
    ['a top-level list', dates(500)],
    ['a bare string', 's'.repeat(5000)],
  ])('answers 500 response_too_large for %s that is too large', (_label, body) => {
    // Act
    const result = capBody(200, body, 1000);

    // Assess
    expect(result.status).toBe(500);
    expect(parsed(result.json).error_type).toBe('response_too_large');
  });
});

describe('buildEnvelope', () => {
  const header: EventHeader = {
    actionGroup: 'scheduling',
    apiPath: '/get-available-dates',
    httpMethod: 'GET',
    sessionId: 'session-1',
    sessionAttributes: { customer: 'hidden' },
    promptSessionAttributes: { today: '2026-11-25' },
  };

  it('echoes the event header and carries the body as a JSON string', () => {
    // Prepare
    const body = { project_id: '12347', dates: ['2026-12-02'] };

    // Act
    const envelope = buildEnvelope(header, 200, body, 25_000);

    // Assess
    expect(envelope).toStrictEqual({
      messageVersion: '1.0',
      response: {
        actionGroup: 'scheduling',
        apiPath: '/get-available-dates',
        httpMethod: 'GET',
        httpStatusCode: 200,
        responseBody: { 'application/json': { body: JSON.stringify(body) } },
      },
      sessionAttributes: { customer: 'hidden' },
      promptSessionAttributes: { today: '2026-11-25' },
    });
  });

  it('does not put the session id in the envelope', () => {
    // Act
    const envelope = buildEnvelope(header, 200, {}, 25_000);

    // Assess
    expect(JSON.stringify(envelope)).not.toContain('session-1');
  });

  it('carries the capped body and its status', () => {
    // Act
    const envelope = buildEnvelope(header, 200, { items: dates(5000) }, 2000);

    // Assess
    const body = envelope.response.responseBody['application/json'].body;
    expect(typeof body).toBe('string');
    expect(bytes(body)).toBeLessThanOrEqual(2000);
    expect(parsed(body).truncated).toBe(true);
    expect(envelope.response.httpStatusCode).toBe(200);
  });

  it('answers 500 in the envelope when the body cannot fit', () => {
    // Act
    const envelope = buildEnvelope(header, 200, 'x'.repeat(5000), 1000);

    // Assess
    expect(envelope.response.httpStatusCode).toBe(500);
    expect(parsed(envelope.response.responseBody['application/json'].body).error_type).toBe('response_too_large');
    expect(envelope.response.actionGroup).toBe('scheduling');
  });
});

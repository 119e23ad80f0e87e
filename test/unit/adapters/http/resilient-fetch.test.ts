import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffMs, createResilientFetch, retryAfterMs } from '../../../../src/adapters/http/resilient-fetch.js';
import type { HttpPolicyConfig } from '../../../../src/config/env.js';
import { AppError } from '../../../../src/domain/errors.js';
import { rejection } from '../../../helpers/errors.js';

const policy: HttpPolicyConfig = {
  timeoutMs: 5000,
  maxRetries: 2,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  maxRetryAfterMs: 5000,
};

const url = 'https://pf360.example.com/dashboard/get/1/2';
const fixedNow = Date.parse('2026-10-21T07:28:00Z');

interface SeenCall {
  url: string;
  method: string;
  body: string | undefined;
  headers: Headers;
  signal: AbortSignal | undefined;
}

type Outcome = () => Response | Promise<Response>;

/** A fake fetch answering each call with the next outcome (the last one repeats), recording every call. */
function fakeFetch(outcomes: Outcome[]) {
  const calls: SeenCall[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const body = init?.body === undefined || init.body === null ? undefined : await new Response(init.body).text();
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      body,
      headers: new Headers(init?.headers),
      signal: init?.signal ?? undefined,
    });
    const outcome = outcomes[Math.min(calls.length - 1, outcomes.length - 1)];
    if (outcome === undefined) throw new Error('no outcome');
    return outcome();
  };
  return { fetch, calls };
}

const status =
  (code: number, headers: Record<string, string> = {}, body: string | null = `{"status":${code}}`): Outcome =>
  () =>
    new Response(body, { status: code, headers });

const networkError: Outcome = () => {
  throw new TypeError('fetch failed');
};

/** Never answers; rejects with the signal's reason when the attempt's deadline passes. */
const hanging =
  (calls: SeenCall[]): typeof globalThis.fetch =>
  (input, init) => {
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      body: undefined,
      headers: new Headers(init?.headers),
      signal: init?.signal ?? undefined,
    });
    return new Promise<Response>((_resolve, reject) => {
      const signal = init?.signal;
      if (!signal) return;
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };

/** A 200 whose body breaks off after a few bytes, like a connection reset mid-body. */
const brokenBody: Outcome = () =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"data":[{"proj'));
        controller.error(new Error('socket hang up'));
      },
    }),
    { status: 200 },
  );

function harness(outcomes: Outcome[], overrides: Partial<HttpPolicyConfig> = {}, oneShot = false, random = 0.5) {
  const fake = fakeFetch(outcomes);
  const delays: number[] = [];
  const attempts: { method: string; attempt: number; status?: number; error?: string; ms: number }[] = [];
  const resilient = createResilientFetch(
    { ...policy, ...overrides },
    {
      upstream: 'The scheduling system',
      fetch: fake.fetch,
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => random,
      now: () => fixedNow,
      oneShot,
      onAttempt: (info) => attempts.push(info),
    },
  );
  return { resilient, calls: fake.calls, delays, attempts };
}

describe('createResilientFetch', () => {
  it('returns a successful GET after one attempt without sleeping', async () => {
    // Prepare
    const { resilient, calls, delays } = harness([status(200, { 'content-type': 'application/json' }, '{"ok":true}')]);

    // Act
    const response = await resilient(url);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual({ ok: true });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(url);
    expect(calls[0]?.method).toBe('GET');
    expect(delays).toStrictEqual([]);
  });

  it('gives every attempt an abort signal as its deadline', async () => {
    // Prepare
    const { resilient, calls } = harness([status(200)]);

    // Act
    await resilient(url);

    // Assess
    expect(calls[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it.each([500, 502, 503, 504, 429])('retries a GET answered %i and returns the success that follows', async (code) => {
    // Prepare
    const { resilient, calls, delays } = harness([status(code), status(code), status(200, {}, 'fine')]);

    // Act
    const response = await resilient(url);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('fine');
    expect(calls).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it('makes maxRetries + 1 attempts and returns the last response when every attempt fails', async () => {
    // Prepare
    const { resilient, calls, delays, attempts } = harness([status(503, { 'x-attempt': 'last' }, 'busy')], {
      maxRetries: 3,
    });

    // Act
    const response = await resilient(url);

    // Assess
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('busy');
    expect(response.headers.get('x-attempt')).toBe('last');
    expect(calls).toHaveLength(4);
    expect(delays).toHaveLength(3);
    expect(attempts.map((a) => a.attempt)).toStrictEqual([0, 1, 2, 3]);
    expect(attempts.map((a) => a.status)).toStrictEqual([503, 503, 503, 503]);
  });

  it('makes a single attempt when maxRetries is 0', async () => {
    // Prepare
    const { resilient, calls, delays } = harness([status(500)], { maxRetries: 0 });

    // Act
    const response = await resilient(url);

    // Assess
    expect(response.status).toBe(500);
    expect(calls).toHaveLength(1);
    expect(delays).toStrictEqual([]);
  });

  it.each([400, 401, 403, 404, 409, 422])('does not retry a GET answered %i', async (code) => {
    // Prepare
    const { resilient, calls, delays } = harness([status(code), status(200)]);

    // Act
    const response = await resilient(url);

    // Assess
    expect(response.status).toBe(code);
    expect(calls).toHaveLength(1);
    expect(delays).toStrictEqual([]);
  });

  it('returns a response with an empty body as an empty body', async () => {
    // Prepare
    const { resilient } = harness([status(204, {}, null)]);

    // Act
    const response = await resilient(url);

    // Assess
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('retries a GET after a network error and returns the success that follows', async () => {
    // Prepare
    const { resilient, calls, attempts } = harness([networkError, status(200)]);

    // Act
    const response = await resilient(url);

    // Assess
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(2);
    expect(attempts[0]).toMatchObject({ attempt: 0, error: 'TypeError' });
  });

  it('throws upstream_unreachable after maxRetries + 1 network errors on a GET', async () => {
    // Prepare
    const { resilient, calls, delays } = harness([networkError]);

    // Act
    const error = await rejection(resilient(url));

    // Assess
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(502);
    expect((error as AppError).errorType).toBe('upstream_unreachable');
    expect((error as AppError).message).toBe(
      'The scheduling system could not be reached or dropped the connection. Please try again in a minute.',
    );
    expect((error as AppError).cause).toBeInstanceOf(TypeError);
    expect(calls).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it('retries a GET whose body breaks off mid-read', async () => {
    // Prepare
    const { resilient, calls } = harness([brokenBody, status(200, {}, '{"data":[]}')]);

    // Act
    const response = await resilient(url);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"data":[]}');
    expect(calls).toHaveLength(2);
  });

  it('throws upstream_unreachable when the body of every GET attempt breaks off', async () => {
    // Prepare
    const { resilient, calls } = harness([brokenBody]);

    // Act
    const error = await rejection(resilient(url));

    // Assess
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).errorType).toBe('upstream_unreachable');
    expect(calls).toHaveLength(3);
  });

  it('throws a 504 AppError after every GET attempt times out', async () => {
    // Prepare
    const calls: SeenCall[] = [];
    const delays: number[] = [];
    const resilient = createResilientFetch(
      { ...policy, timeoutMs: 20 },
      {
        upstream: 'The weather service',
        fetch: hanging(calls),
        sleep: async (ms) => {
          delays.push(ms);
        },
        random: () => 0,
        now: () => fixedNow,
      },
    );

    // Act
    const error = await rejection(resilient(url));

    // Assess
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(504);
    expect((error as AppError).errorType).toBe('upstream_timeout');
    expect((error as AppError).message).toBe(
      'The weather service did not answer in time. Please try again in a minute.',
    );
    expect(calls).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it('reports a timed-out attempt as a timeout', async () => {
    // Prepare
    const attempts: { attempt: number; error?: string }[] = [];
    const resilient = createResilientFetch(
      { ...policy, timeoutMs: 20, maxRetries: 0 },
      { upstream: 'PF360', fetch: hanging([]), now: () => fixedNow, onAttempt: (info) => attempts.push(info) },
    );

    // Act
    await rejection(resilient(url));

    // Assess
    expect(attempts).toStrictEqual([{ method: 'GET', attempt: 0, error: 'timeout', ms: 0 }]);
  });

  it('retries HEAD like GET', async () => {
    // Prepare
    const { resilient, calls } = harness([status(503, {}, null), status(200, {}, null)]);

    // Act
    const response = await resilient(url, { method: 'HEAD' });

    // Assess
    expect(response.status).toBe(200);
    expect(calls.map((c) => c.method)).toStrictEqual(['HEAD', 'HEAD']);
  });

  describe('for a POST', () => {
    it('returns a 500 after a single attempt', async () => {
      // Prepare
      const { resilient, calls, delays } = harness([status(500, {}, 'boom'), status(200)]);

      // Act
      const response = await resilient(url, { method: 'POST', body: '{}' });

      // Assess
      expect(response.status).toBe(500);
      expect(await response.text()).toBe('boom');
      expect(calls).toHaveLength(1);
      expect(delays).toStrictEqual([]);
    });

    it('returns a 429 after a single attempt even with a short Retry-After', async () => {
      // Prepare
      const { resilient, calls, delays } = harness([status(429, { 'retry-after': '1' }), status(200)]);

      // Act
      const response = await resilient(url, { method: 'POST', body: '{}' });

      // Assess
      expect(response.status).toBe(429);
      expect(calls).toHaveLength(1);
      expect(delays).toStrictEqual([]);
    });

    it('throws on a network error, saying the change may or may not have been applied', async () => {
      // Prepare
      const { resilient, calls, delays } = harness([networkError, status(200)]);

      // Act
      const error = await rejection(resilient(url, { method: 'POST', body: '{}' }));

      // Assess
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).errorType).toBe('upstream_unreachable');
      expect((error as AppError).message).toBe(
        'The scheduling system could not be reached or dropped the connection. It may or may not have been applied: check the current state before trying again.',
      );
      expect(calls).toHaveLength(1);
      expect(delays).toStrictEqual([]);
    });

    it('throws a timeout after one attempt, saying the change may or may not have been applied', async () => {
      // Prepare
      const calls: SeenCall[] = [];
      const resilient = createResilientFetch(
        { ...policy, timeoutMs: 20 },
        { upstream: 'The scheduling system', fetch: hanging(calls), sleep: async () => {}, now: () => fixedNow },
      );

      // Act
      const error = await rejection(resilient(url, { method: 'POST', body: '{}' }));

      // Assess
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toContain('may or may not have been applied');
      expect(calls).toHaveLength(1);
    });

    it('passes the request body and headers to fetch intact', async () => {
      // Prepare
      const payload = JSON.stringify({ date: '2026-12-02', time: '10:00 AM', note: 'Gärten 🌳 庭' });
      const { resilient, calls } = harness([status(200)]);

      // Act
      await resilient(url, {
        method: 'POST',
        body: payload,
        headers: { 'content-type': 'application/json', client_id: '1' },
      });

      // Assess
      expect(calls).toHaveLength(1);
      expect(calls[0]?.method).toBe('POST');
      expect(calls[0]?.body).toBe(payload);
      expect(calls[0]?.headers.get('content-type')).toBe('application/json');
      expect(calls[0]?.headers.get('client_id')).toBe('1');
    });

    it('passes the body of a Request object to fetch intact', async () => {
      // Prepare
      const { resilient, calls } = harness([status(200)]);

      // Act
      await resilient(new Request(url, { method: 'POST', body: 'note=hello' }));

      // Assess
      expect(calls[0]?.body).toBe('note=hello');
    });
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('never retries a %s', async (method) => {
    // Prepare
    const { resilient, calls } = harness([status(503), status(200)]);

    // Act
    const response = await resilient(url, { method });

    // Assess
    expect(response.status).toBe(503);
    expect(calls).toHaveLength(1);
  });

  describe('with oneShot', () => {
    it('does not retry a GET answered 503', async () => {
      // Prepare
      const { resilient, calls, delays } = harness([status(503), status(200)], {}, true);

      // Act
      const response = await resilient(url);

      // Assess
      expect(response.status).toBe(503);
      expect(calls).toHaveLength(1);
      expect(delays).toStrictEqual([]);
    });

    it('throws after one network error on a GET, saying the change may or may not have been applied', async () => {
      // Prepare
      const { resilient, calls } = harness([networkError, status(200)], {}, true);

      // Act
      const error = await rejection(resilient(url));

      // Assess
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toContain('may or may not have been applied');
      expect(calls).toHaveLength(1);
    });
  });

  describe('Retry-After', () => {
    it('waits the number of seconds it gives', async () => {
      // Prepare
      const { resilient, delays } = harness([status(429, { 'retry-after': '2' }), status(200)]);

      // Act
      const response = await resilient(url);

      // Assess
      expect(response.status).toBe(200);
      expect(delays).toStrictEqual([2000]);
    });

    it('waits until the HTTP date it gives', async () => {
      // Prepare
      const { resilient, delays } = harness([
        status(503, { 'retry-after': 'Wed, 21 Oct 2026 07:28:03 GMT' }),
        status(200),
      ]);

      // Act
      const response = await resilient(url);

      // Assess
      expect(response.status).toBe(200);
      expect(delays).toStrictEqual([3000]);
    });

    it('retries at once for an HTTP date in the past', async () => {
      // Prepare
      const { resilient, delays } = harness([
        status(503, { 'retry-after': 'Wed, 21 Oct 2026 07:00:00 GMT' }),
        status(200),
      ]);

      // Act
      await resilient(url);

      // Assess
      expect(delays).toStrictEqual([0]);
    });

    it('waits exactly maxRetryAfterMs when that is what it asks for', async () => {
      // Prepare
      const { resilient, delays } = harness([status(429, { 'retry-after': '5' }), status(200)]);

      // Act
      const response = await resilient(url);

      // Assess
      expect(response.status).toBe(200);
      expect(delays).toStrictEqual([5000]);
    });

    it('returns the 429 at once, without sleeping, when it asks for more than maxRetryAfterMs', async () => {
      // Prepare
      const { resilient, calls, delays } = harness([status(429, { 'retry-after': '60' }, 'slow down'), status(200)]);

      // Act
      const response = await resilient(url);

      // Assess
      expect(response.status).toBe(429);
      expect(await response.text()).toBe('slow down');
      expect(response.headers.get('retry-after')).toBe('60');
      expect(calls).toHaveLength(1);
      expect(delays).toStrictEqual([]);
    });

    it('falls back to backoff when the header is not understood', async () => {
      // Prepare
      const { resilient, delays } = harness([status(503, { 'retry-after': 'soon' }), status(200)], {}, false, 0.5);

      // Act
      await resilient(url);

      // Assess
      expect(delays).toStrictEqual([50]);
    });
  });

  describe('backoff', () => {
    it('sleeps a jittered exponential delay between attempts', async () => {
      // Prepare
      const { resilient, delays } = harness([status(503)], { maxRetries: 5 }, false, 0.5);

      // Act
      await resilient(url);

      // Assess: 0.5 × min(1000, 100 × 2^attempt)
      expect(delays).toStrictEqual([50, 100, 200, 400, 500]);
    });

    it('sleeps just under the ceiling when random is just under 1', async () => {
      // Prepare
      const { resilient, delays } = harness([networkError], { maxRetries: 5 }, false, 0.999_999);

      // Act
      await rejection(resilient(url));

      // Assess
      expect(delays).toStrictEqual([99, 199, 399, 799, 999]);
    });

    it('retries at once when random is 0', async () => {
      // Prepare
      const { resilient, delays } = harness([status(502)], {}, false, 0);

      // Act
      await resilient(url);

      // Assess
      expect(delays).toStrictEqual([0, 0]);
    });
  });

  it('reports each attempt with facts only, never the URL or body', async () => {
    // Prepare
    const { resilient, attempts } = harness([status(500), status(200)]);

    // Act
    await resilient(url);

    // Assess
    expect(attempts).toStrictEqual([
      { method: 'GET', attempt: 0, status: 500, ms: 0 },
      { method: 'GET', attempt: 1, status: 200, ms: 0 },
    ]);
  });
});

describe('backoffMs', () => {
  it('stays within [0, min(maxDelayMs, baseDelayMs × 2^attempt)] and is a whole number', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 30_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, baseDelayMs, maxDelayMs, r) => {
          // Act
          const delay = backoffMs(attempt, { ...policy, baseDelayMs, maxDelayMs }, () => r);

          // Assess
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
        },
      ),
    );
  });

  it.each([
    [0, 0.5, 50],
    [1, 0.5, 100],
    [3, 0.5, 400],
    [4, 0.5, 500],
    [10, 0.5, 500],
    [2, 0, 0],
  ])('at attempt %i with random %d gives %i ms', (attempt, r, expected) => {
    // Act
    const delay = backoffMs(attempt, policy, () => r);

    // Assess
    expect(delay).toBe(expected);
  });
});

describe('retryAfterMs', () => {
  it.each([
    ['delta-seconds', '120', 120_000],
    ['zero seconds', '0', 0],
    ['delta-seconds with spaces', ' 3 ', 3000],
    ['an HTTP date in the future', 'Wed, 21 Oct 2026 07:28:30 GMT', 30_000],
    ['an HTTP date in the past', 'Tue, 20 Oct 2026 07:28:00 GMT', 0],
  ])('reads %s', (_label, header, expected) => {
    // Act
    const result = retryAfterMs(header, fixedNow);

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    ['no header', null],
    ['an empty header', ''],
    ['a word', 'soon'],
    ['seconds with a unit', '5s'],
    ['fractional seconds', '1.5'],
    ['negative seconds', '-1'],
  ])('returns undefined for %s', (_label, header) => {
    // Act
    const result = retryAfterMs(header, fixedNow);

    // Assess
    expect(result).toBeUndefined();
  });
});

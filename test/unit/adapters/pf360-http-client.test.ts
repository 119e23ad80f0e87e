/** PF360's failures as the agent hears them: each HTTP outcome mapped to one catalog error, through an injected fetch. */
import { describe, expect, it } from 'vitest';
import { pf360Examples } from '../../../generated/catalog/pf360-examples.js';
import { Pf360HttpClient } from '../../../src/adapters/pf360/http-client.js';
import { createLogger } from '../../../src/observability/logger.js';
import { appError } from '../../helpers/errors.js';

const who = { clientId: '09PF05VD', customerId: '1645975', authToken: 'Bearer t-1' };
const policy = { timeoutMs: 1000, maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 };

function client(status: number, body: unknown, headers: Record<string, string> = {}) {
  const seen: Request[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    seen.push(new Request(input, init));
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(text, { status, headers: { 'content-type': 'application/json', ...headers } });
  };
  // As a handler would have set it for the request (the log audit wants it on every line).
  const logger = createLogger('pf360-test');
  logger.appendKeys({ correlation_id: 'pf360-client-test' });
  return {
    seen,
    pf360: new Pf360HttpClient({ baseUrl: 'http://pf360.test', policy, logger, fetch }),
  };
}

const booking = {
  created_at: '11-29-2026 20:30:00',
  date: '2026-12-02',
  time: '10:00 AM',
  request_id: 'R',
  is_chatbot: 'true' as const,
};
const dashboard = Object.values(pf360Examples.getDashboard['200'])[0];

describe('Pf360HttpClient', () => {
  it('sends the token as the portal gave it, and the tenant, and returns the typed body', async () => {
    // Prepare
    const { seen, pf360 } = client(200, dashboard);

    // Act
    const items = await pf360.getDashboard(who);

    // Assess
    expect(items).toEqual(dashboard?.data);
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer t-1');
    expect(seen[0]?.headers.get('client_id')).toBe('09PF05VD');
    expect(new URL(seen[0]?.url ?? '').pathname).toBe('/dashboard/get/09PF05VD/1645975');
  });

  it.each([
    [401, 'upstream_unauthorized', /no longer accepts this customer's sign-in/],
    [403, 'upstream_unauthorized', /sign in to the portal again/],
    [404, 'not_found', /does not know this customer/],
    [409, 'upstream_rejected', /rejected the request \(busy\); nothing was changed/],
    [422, 'upstream_rejected', /nothing was changed/],
    [500, 'upstream_error', /having a problem right now \(HTTP 500\); nothing was changed/],
  ])('maps a %i to a read into %s', async (status, code, message) => {
    // Prepare
    const { pf360 } = client(status, { message: 'busy' });

    // Act
    const error = await appError(pf360.getDashboard(who));

    // Assess
    expect(error.errorType).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('says a booking that PF360 refused with 409 lost its slot, and to offer another', async () => {
    // Act
    const error = await appError(client(409, { message: 'taken' }).pf360.schedule(who, '12350', booking));

    // Assess
    expect(error.errorType).toBe('slot_taken');
    expect(error.message).toMatch(/Call get_time_slots again/);
  });

  it('says a write answered with a 500 may not have happened, and to check first', async () => {
    // Act
    const error = await appError(client(500, {}).pf360.addNote(who, '12347', 'Gate code'));

    // Assess
    expect(error.errorType).toBe('upstream_error');
    expect(error.message).toMatch(/did not confirm the change; check the appointment status/);
  });

  it('gives the wait PF360 asks for when it is busy', async () => {
    // Act
    const error = await appError(client(429, {}, { 'retry-after': '30' }).pf360.getBusinessHours(who));

    // Assess
    expect([error.errorType, error.message]).toEqual([
      'upstream_busy',
      'The scheduling system is busy right now; please try again in 30 seconds.',
    ]);
  });

  it('refuses a 200 that does not match the spec, naming the outcome of a read or a write', async () => {
    // Act
    const read = await appError(client(200, { data: 'not a list' }).pf360.getDashboard(who));
    const write = await appError(client(200, 'not json at all').pf360.schedule(who, '12350', booking));

    // Assess
    expect([read.errorType, read.message]).toEqual([
      'upstream_invalid_response',
      'The scheduling system sent an answer in an unexpected format; nothing was changed.',
    ]);
    expect(write.errorType).toBe('upstream_invalid_response');
    expect(write.message).toMatch(/could not be read; the change may or may not have been made/);
  });
});

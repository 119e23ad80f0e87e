/**
 * The AgentCore Gateway's REQUEST interceptor and Lambda target together, as the Gateway chains
 * them, on the real handlers over in-memory adapters, with real signed JWTs (HS256: unit tests
 * open no connection; test/integration/agentcore-gateway.test.ts does the same with RS256 and a
 * JWKS over HTTP). Identity comes from the verified token only; writes need the two-step call.
 */
import { describe, expect, it } from 'vitest';
import { gatewaySessionId } from '../../../src/agentcore/gateway-contract.js';
import { createGatewayTargetHandler } from '../../../src/agentcore/gateway-target.js';
import { createRequestInterceptor } from '../../../src/agentcore/interceptor.js';
import { createTokenVerifier } from '../../../src/chat/auth.js';
import { createLogger } from '../../../src/observability/logger.js';
import {
  answered,
  audience,
  customerA,
  customerB,
  gatewayContext,
  hs256Issuer,
  issuer,
  refusedByInterceptor,
  signedIn,
  simulatedGateway,
  unsignedToken,
} from '../../helpers/agentcore-gateway.js';
import { inMemoryActions } from '../../helpers/in-memory-actions.js';
import { sensitive } from '../../helpers/sensitive.js';

const secret = 'a-local-secret-that-is-long-enough-0123';
const booking = { project_id: '12350', date: '2026-12-02', time: '10:00 AM' };
const sessionOf = (who: typeof customerA, mcpSessionId?: string) =>
  gatewaySessionId({ clientId: who.client_id, customerId: who.sub }, mcpSessionId);

function world() {
  const portal = hs256Issuer(secret);
  const actions = inMemoryActions({}, { withoutProjects: [customerB.sub] });
  const verifyToken = createTokenVerifier({ hs256Secret: secret, issuer, audience, clockToleranceSeconds: 5 });
  const logger = createLogger('test-gateway-identity');
  const target = createGatewayTargetHandler({
    invoke: actions.invoke,
    verifyToken,
    sessions: actions.sessions,
    stage: 'test',
    clock: () => new Date(),
    logger,
  });
  const gateway = simulatedGateway(createRequestInterceptor({ verifyToken, logger }), target);
  const writes = () => actions.pf360Calls.filter((c) => ['schedule', 'cancel', 'addNote'].includes(c.method));
  /** A's booking flow up to the point where the slot may be booked. */
  const offered = async (headers: Record<string, string>) => {
    answered(await gateway.call('list_projects', {}, headers));
    answered(await gateway.call('get_available_dates', { project_id: booking.project_id }, headers));
    answered(await gateway.call('get_time_slots', { project_id: booking.project_id, date: booking.date }, headers));
  };
  return { portal, actions, target, gateway, writes, offered };
}

describe('the REQUEST interceptor', () => {
  it.each([
    ['initialize', { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18' } }],
    ['tools/list', { jsonrpc: '2.0', id: 2, method: 'tools/list' }],
    ['a notification', { jsonrpc: '2.0', method: 'notifications/initialized' }],
  ])('passes %s through unchanged, token or not', async (_what, body) => {
    const w = world();
    const output = await w.gateway.intercept({}, body);
    expect(output).toEqual({ interceptorOutputVersion: '1.0', mcp: { transformedGatewayRequest: { body } } });
    expect((output.mcp as { transformedGatewayRequest: { body: unknown } }).transformedGatewayRequest.body).toBe(body);
  });

  it("replaces a caller's _pf360 with the verified token, whatever the header names' casing", async () => {
    // Prepare
    const w = world();
    const tokenA = await w.portal.sign(customerA);
    const tokenB = await w.portal.sign(customerB);
    const body = {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'pf360-tools___list_projects', arguments: { _pf360: { token: tokenB }, note: 'kept' } },
    };

    // Act
    const output = await w.gateway.intercept(
      { AUTHORIZATION: `Bearer ${tokenA}`, 'x-pf360-token': sensitive.gatewayToken, 'Mcp-Session-Id': 'mcp-1' },
      body,
    );

    // Assess
    expect(output.mcp).toEqual({
      transformedGatewayRequest: {
        body: {
          ...body,
          params: {
            ...body.params,
            arguments: {
              note: 'kept',
              _pf360: { token: tokenA, pf360_token: sensitive.gatewayToken, mcp_session_id: 'mcp-1' },
            },
          },
        },
      },
    });
  });

  const refusals: [string, (w: ReturnType<typeof world>) => Promise<Record<string, string>>, RegExp][] = [
    ['no Authorization header', async () => ({}), /Authorization: Bearer/],
    ['a token that is not a bearer token', async (w) => ({ Authorization: await w.portal.sign(customerA) }), /Bearer/],
    [
      'a forged signature',
      async (w) => signedIn(await w.portal.sign(customerA, { foreignKey: true })),
      /could not be verified/,
    ],
    ['an expired token', async (w) => signedIn(await w.portal.sign(customerA, { expiresIn: -120 })), /expired/],
    [
      'a token for another audience',
      async (w) => signedIn(await w.portal.sign(customerA, { aud: 'another-app' })),
      /could not be verified/,
    ],
    [
      'a token of another issuer',
      async (w) => signedIn(await w.portal.sign(customerA, { iss: 'https://evil.example.com' })),
      /could not be verified/,
    ],
    ['an unsigned token (alg none)', async () => signedIn(unsignedToken(customerA)), /could not be verified/],
    [
      'a token without a tenant',
      async (w) => signedIn(await w.portal.sign({ sub: customerA.sub, client_name: customerA.client_name })),
      /client_id/,
    ],
    [
      'a PF360 token with a line break',
      async (w) => signedIn(await w.portal.sign(customerA), 'pf360\r\nX-Evil: 1'),
      /X-PF360-Token/,
    ],
  ];

  it.each(refusals)('answers a tool call with %s itself: the target is never called', async (_what, headers, why) => {
    // Prepare
    const w = world();

    // Act
    const outcome = await w.gateway.call('confirm_appointment', booking, await headers(w));

    // Assess
    expect(refusedByInterceptor(outcome)).toMatch(why);
    expect(outcome.by === 'interceptor' && outcome.response.id).toBe(1);
    expect(w.gateway.targetCalls()).toBe(0);
    expect(w.actions.sessions.writes).toBe(0);
    expect(w.actions.pf360Calls).toEqual([]);
  });

  it('refuses a batch holding a tool call, whole', async () => {
    const w = world();
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x___list_projects', arguments: {} } };
    const output = await w.gateway.intercept(signedIn(await w.portal.sign(customerA)), [call]);
    expect(output.mcp).toEqual({
      transformedGatewayResponse: {
        statusCode: 200,
        body: { jsonrpc: '2.0', id: null, error: expect.objectContaining({ code: -32600 }) },
      },
    });
  });
});

describe('the interceptor and the target together', () => {
  it("needs the customer's PF360 token to start their session, and starts it under an id derived from the token", async () => {
    // Prepare
    const w = world();
    const token = await w.portal.sign(customerA);

    // Act
    const without = answered(await w.gateway.call('list_projects', {}, signedIn(token, null)));
    const created = answered(await w.gateway.call('list_projects', {}, signedIn(token)));

    // Assess
    expect(without).toMatchObject({ status: 400, error_type: 'validation_error', field: 'X-PF360-Token' });
    expect(created.total).toBeGreaterThan(0);
    expect(w.actions.sessions.peek(sessionOf(customerA))).toMatchObject({
      customerId: customerA.sub,
      clientId: customerA.client_id,
      authToken: sensitive.gatewayToken,
    });
    expect(sessionOf(customerA)).toMatch(/^g-[A-Za-z0-9_-]{43}$/);
  });

  it('books only on the second call, with the confirmation id the first one issued, and only once', async () => {
    // Prepare
    const w = world();
    const headers = signedIn(await w.portal.sign(customerA));
    await w.offered(headers);

    // Act
    const asked = answered(await w.gateway.call('confirm_appointment', booking, headers));
    const beforeYes = w.writes().length;
    const booked = answered(
      await w.gateway.call('confirm_appointment', { ...booking, confirmation_id: asked.confirmation_id }, headers),
    );
    const replayed = answered(
      await w.gateway.call('confirm_appointment', { ...booking, confirmation_id: asked.confirmation_id }, headers),
    );

    // Assess
    expect(asked).toMatchObject({ confirmation_required: true, operation: 'confirm_appointment' });
    expect(String(asked.summary)).toContain('December 2, 2026 at 10:00 AM');
    expect(beforeYes).toBe(0);
    expect(booked).toMatchObject({ scheduled_date: '2026-12-02', scheduled_time: '10:00 AM' });
    expect(replayed).toMatchObject({ status: 404, error_type: 'confirmation_not_found' });
    expect(w.writes()).toEqual([{ method: 'schedule', projectId: '12350' }]);
  });

  it('changes nothing for a forged confirmation id or one issued for other arguments', async () => {
    const w = world();
    const headers = signedIn(await w.portal.sign(customerA));
    await w.offered(headers);
    const asked = answered(await w.gateway.call('confirm_appointment', booking, headers));
    const forged = answered(
      await w.gateway.call('confirm_appointment', { ...booking, confirmation_id: 'c-AAAAAAAAAAAAAAAAAAAAAA' }, headers),
    );
    const mismatched = answered(
      await w.gateway.call(
        'confirm_appointment',
        { ...booking, time: '01:00 PM', confirmation_id: asked.confirmation_id },
        headers,
      ),
    );
    expect(forged).toMatchObject({ status: 404, error_type: 'confirmation_not_found' });
    expect(mismatched).toMatchObject({ status: 409, error_type: 'confirmation_mismatch' });
    expect(w.writes()).toEqual([]);
  });

  it('stores a fresh PF360 token in the session; the Gateway’s own session id changes nothing; an MCP session gets its own', async () => {
    // Prepare
    const w = world();
    const token = await w.portal.sign(customerA);

    // Act
    answered(await w.gateway.call('list_projects', {}, signedIn(token), 'gateway-session-1'));
    answered(await w.gateway.call('list_projects', {}, signedIn(token, sensitive.rotatedToken), 'gateway-session-2'));
    answered(
      await w.gateway.call('list_projects', {}, signedIn(token, sensitive.portalToken, { 'Mcp-Session-Id': 'm-1' })),
    );

    // Assess
    expect(w.actions.sessions.peek(sessionOf(customerA))?.authToken).toBe(sensitive.rotatedToken);
    expect(w.actions.sessions.peek(sessionOf(customerA, 'm-1'))?.authToken).toBe(sensitive.portalToken);
    expect(w.actions.sessions.peek('gateway-session-1')).toBeUndefined();
    expect(w.actions.sessions.peek('gateway-session-2')).toBeUndefined();
  });

  it("lets a token of customer B reach neither customer A's session nor A's projects", async () => {
    // Prepare
    const w = world();
    const headersA = signedIn(await w.portal.sign(customerA));
    const headersB = signedIn(await w.portal.sign(customerB), sensitive.attackerToken);
    await w.offered(headersA);
    const asked = answered(await w.gateway.call('confirm_appointment', booking, headersA));
    const sessionA = w.actions.sessions.peek(sessionOf(customerA));
    const callsBefore = w.actions.pf360Calls.length;

    // Act
    const list = answered(await w.gateway.call('list_projects', {}, headersB));
    const dates = answered(await w.gateway.call('get_available_dates', { project_id: booking.project_id }, headersB));
    const book = answered(
      await w.gateway.call('confirm_appointment', { ...booking, confirmation_id: asked.confirmation_id }, headersB),
    );

    // Assess
    expect(list.total).toBe(0);
    expect(dates).toMatchObject({ status: 403, error_type: 'forbidden' });
    expect(book).toMatchObject({ status: 404, error_type: 'confirmation_not_found' });
    // PF360 was asked only for B's own dashboard, never about A's project, and nothing was written.
    expect(w.actions.pf360Calls.slice(callsBefore)).toEqual([{ method: 'getDashboard' }]);
    expect(w.actions.pf360Customers.slice(callsBefore)).toEqual([`${customerB.client_id}/${customerB.sub}`]);
    expect(w.writes()).toEqual([]);
    expect(w.actions.sessions.peek(sessionOf(customerA))).toStrictEqual(sessionA);
    expect(w.actions.sessions.peek(sessionOf(customerB))?.authToken).toBe(sensitive.attackerToken);
  });

  it('reads no identity from the tool arguments: customer, client and session ids and _pf360 have no effect', async () => {
    // Prepare
    const w = world();
    const tokenA = await w.portal.sign(customerA);
    const tokenB = await w.portal.sign(customerB);
    answered(await w.gateway.call('list_projects', {}, signedIn(tokenB, sensitive.attackerToken)));
    const sessionB = w.actions.sessions.peek(sessionOf(customerB));
    const callsBefore = w.actions.pf360Calls.length;
    const forged = {
      customer_id: customerB.sub,
      client_id: customerB.client_id,
      client_name: customerB.client_name,
      session_id: sessionOf(customerB),
      sessionId: sessionOf(customerB),
      auth_token: sensitive.attackerToken,
      _pf360: { token: tokenB, pf360_token: sensitive.attackerToken },
    };

    // Act
    const list = await w.gateway.call('list_projects', forged, signedIn(tokenA));
    const dates = await w.gateway.call('get_available_dates', { ...forged, project_id: '12350' }, signedIn(tokenA));

    // Assess
    expect(answered(list).total).toBeGreaterThan(0);
    expect(answered(dates).project_id).toBe('12350');
    // The target was handed A's verified token, not the caller's _pf360.
    expect(list.by === 'target' && list.event._pf360).toEqual({ token: tokenA, pf360_token: sensitive.gatewayToken });
    const customers = w.actions.pf360Customers.slice(callsBefore);
    expect(customers.length).toBeGreaterThan(0);
    expect(new Set(customers)).toEqual(new Set([`${customerA.client_id}/${customerA.sub}`]));
    expect(w.actions.sessions.peek(sessionOf(customerB))).toStrictEqual(sessionB);
    expect(w.actions.sessions.peek(sessionOf(customerA))?.authToken).toBe(sensitive.gatewayToken);
  });
});

describe('the target invoked directly, past the interceptor', () => {
  const direct: [string, (w: ReturnType<typeof world>) => Promise<unknown>, string][] = [
    ['no _pf360', async () => ({}), 'unauthorized'],
    ['a _pf360 without a token', async () => ({ _pf360: { pf360_token: sensitive.attackerToken } }), 'unauthorized'],
    ['a _pf360 whose token is not a JWT', async () => ({ _pf360: { token: 'customer 1645975' } }), 'unauthorized'],
    [
      'a _pf360 with a forged token',
      async (w) => ({ _pf360: { token: await w.portal.sign(customerA, { foreignKey: true }) } }),
      'unauthorized',
    ],
    [
      'a _pf360 with an expired token',
      async (w) => ({ _pf360: { token: await w.portal.sign(customerA, { expiresIn: -120 }) } }),
      'token_expired',
    ],
    ['a _pf360 with an unsigned token', async () => ({ _pf360: { token: unsignedToken(customerA) } }), 'unauthorized'],
  ];

  it.each(direct)('refuses %s, whatever session the client context names', async (_what, event, errorType) => {
    // Prepare
    const w = world();
    answered(await w.gateway.call('list_projects', {}, signedIn(await w.portal.sign(customerA))));
    const sessionA = w.actions.sessions.peek(sessionOf(customerA));
    const writesBefore = w.actions.sessions.writes;

    // Act
    const result = await w.target(await event(w), gatewayContext('list_projects', sessionOf(customerA)));

    // Assess
    expect(result).toMatchObject({ status: 401, error_type: errorType });
    expect(w.actions.sessions.writes).toBe(writesBefore);
    expect(w.actions.sessions.peek(sessionOf(customerA))).toStrictEqual(sessionA);
  });

  it('answers an unknown tool before looking at identity', async () => {
    const w = world();
    const result = await w.target({}, gatewayContext('delete_everything'));
    expect(result).toMatchObject({ status: 404, error_type: 'unknown_tool' });
    expect(String(result.error)).toContain('list_projects');
    expect(await w.target({}, { clientContext: { custom: {} } })).toMatchObject({ error_type: 'unknown_tool' });
  });
});

/**
 * The AgentCore Gateway's REQUEST interceptor and Lambda target together, as the Gateway chains
 * them: a portal that signs RS256 tokens and serves its JWKS over HTTP, the real handlers,
 * sessions in DynamoDB Local, PF360 from Prism behind a recording proxy. Identity comes only from
 * the verified token; writes take the two-step call; nothing refused reaches PF360.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatewaySessionId } from '../../src/agentcore/gateway-contract.js';
import { createGatewayTargetHandler, type GatewayTargetHandler } from '../../src/agentcore/gateway-target.js';
import { createRequestInterceptor } from '../../src/agentcore/interceptor.js';
import { createTokenVerifier } from '../../src/chat/auth.js';
import { loadJwtConfig } from '../../src/chat/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { createToolInvoker } from '../../src/tools/invoke-tool.js';
import { actionEnv, factories } from '../helpers/actions.js';
import {
  answered,
  audience,
  customerA,
  customerB,
  gatewayContext,
  issuer,
  refusedByInterceptor,
  rs256Issuer,
  signedIn,
  simulatedGateway,
  unsignedToken,
} from '../helpers/agentcore-gateway.js';
import { sensitive } from '../helpers/sensitive.js';
import { readSessionItem, sessionStore } from '../helpers/sessions.js';
import { pf360Paths, startUpstreamProxy, type UpstreamProxy } from '../helpers/upstream-proxy.js';

let pf360: UpstreamProxy;
let portal: Awaited<ReturnType<typeof rs256Issuer>>;
let target: GatewayTargetHandler;
let gateway: ReturnType<typeof simulatedGateway>;

beforeAll(async () => {
  pf360 = await startUpstreamProxy(process.env.PF360_BASE_URL ?? '');
  portal = await rs256Issuer();
  const env = actionEnv({ PF360_BASE_URL: pf360.url, ENABLE_REAL_CONFIRM: 'true' });
  // The verifier as the deployed functions build it: from the stage's JWT settings.
  const verifyToken = createTokenVerifier(
    loadJwtConfig({ STAGE: 'test', JWT_JWKS_URL: portal.jwksUrl, JWT_ISSUER: issuer, JWT_AUDIENCE: audience }),
  );
  const logger = createLogger('test-agentcore');
  target = createGatewayTargetHandler({
    invoke: createToolInvoker({
      scheduling: factories.scheduling(env),
      information: factories.information(env),
      notes: factories.notes(env),
    }),
    verifyToken,
    sessions: sessionStore(),
    stage: 'test',
    clock: () => new Date(),
    logger,
  });
  gateway = simulatedGateway(
    createRequestInterceptor({ verifyToken, logger: createLogger('test-interceptor') }),
    target,
  );
});
afterAll(async () => {
  await pf360.close();
  await portal.close();
});
beforeEach(() => pf360.reset());

/** Each test its own MCP session, so its own server-side session: tests share nothing in DynamoDB Local. */
function conversation(who: typeof customerA, pf360Token: string = sensitive.gatewayToken) {
  const mcpSessionId = `mcp-${randomUUID()}`;
  return {
    mcpSessionId,
    sessionId: gatewaySessionId({ clientId: who.client_id, customerId: who.sub }, mcpSessionId),
    headers: async (options = {}) =>
      signedIn(await portal.sign(who, options), pf360Token, { 'Mcp-Session-Id': mcpSessionId }),
  };
}

describe('a tool call through the AgentCore Gateway', () => {
  it.each([
    ['no token', async () => ({})],
    [
      'a forged signature (the portal’s kid, another key)',
      async () => signedIn(await portal.sign(customerA, { foreignKey: true })),
    ],
    ['an expired token', async () => signedIn(await portal.sign(customerA, { expiresIn: -120 }))],
    ['a token for another audience', async () => signedIn(await portal.sign(customerA, { aud: 'another-app' }))],
    [
      'a token of another issuer',
      async () => signedIn(await portal.sign(customerA, { iss: 'https://evil.example.com' })),
    ],
    ['an unsigned token (alg none)', async () => signedIn(unsignedToken(customerA))],
  ])('with %s is refused by the interceptor: no session, no PF360 call', async (_what, headers) => {
    // Prepare
    const mcpSessionId = `mcp-${randomUUID()}`;

    // Act
    const outcome = await gateway.call('list_projects', {}, { ...(await headers()), 'Mcp-Session-Id': mcpSessionId });

    // Assess
    expect(refusedByInterceptor(outcome)).toMatch(/sign|Sign/);
    expect(pf360.requests).toEqual([]);
    const sessionId = gatewaySessionId({ clientId: customerA.client_id, customerId: customerA.sub }, mcpSessionId);
    expect(await readSessionItem(sessionId)).toBeUndefined();
  });

  it('books only on the confirmed second call, once, in the session of the verified customer', async () => {
    // Prepare
    const c = conversation(customerA);
    const headers = await c.headers();
    answered(await gateway.call('list_projects', {}, headers));
    answered(await gateway.call('get_available_dates', { project_id: '12347' }, headers));
    const slots = answered(await gateway.call('get_time_slots', { project_id: '12347', date: '2026-12-02' }, headers));
    expect(slots.slots).toContain('10:00 AM');
    const booking = { project_id: '12347', date: '2026-12-02', time: '10:00 AM' };

    // Act
    const asked = answered(await gateway.call('confirm_appointment', booking, headers));
    const afterAsking = pf360.matching('POST', pf360Paths.schedule).length;
    const booked = answered(
      await gateway.call('confirm_appointment', { ...booking, confirmation_id: asked.confirmation_id }, headers),
    );
    const replayed = answered(
      await gateway.call('confirm_appointment', { ...booking, confirmation_id: asked.confirmation_id }, headers),
    );

    // Assess
    expect(asked).toMatchObject({
      confirmation_required: true,
      operation: 'confirm_appointment',
      summary: 'Book project ORD-2026-002 (Kitchen Cabinets) on Wednesday, December 2, 2026 at 10:00 AM.',
    });
    expect(afterAsking).toBe(0);
    expect(booked).toMatchObject({ scheduled_date: '2026-12-02', scheduled_time: '10:00 AM', test_mode: false });
    expect(replayed).toMatchObject({ status: 404, error_type: 'confirmation_not_found' });
    expect(pf360.matching('POST', pf360Paths.schedule)).toHaveLength(1);
    const stored = await sessionStore().get(c.sessionId);
    expect(stored).toMatchObject({ customerId: customerA.sub, clientId: customerA.client_id });
    expect(stored?.pendingConfirmation).toBeUndefined();
    expect(stored?.scheduling['12347']?.booking).toMatchObject({ date: '2026-12-02', time: '10:00 AM' });
  });

  it('changes nothing for a write without the confirmation step, or with a forged or mismatched id', async () => {
    const c = conversation(customerA);
    const headers = await c.headers();
    answered(await gateway.call('get_available_dates', { project_id: '12347' }, headers));
    answered(await gateway.call('get_time_slots', { project_id: '12347', date: '2026-12-02' }, headers));
    const booking = { project_id: '12347', date: '2026-12-02', time: '10:00 AM' };
    const asked = answered(await gateway.call('confirm_appointment', booking, headers));
    const forged = answered(
      await gateway.call('confirm_appointment', { ...booking, confirmation_id: `c-${randomUUID()}` }, headers),
    );
    const mismatched = answered(
      await gateway.call(
        'confirm_appointment',
        { ...booking, date: '2026-12-03', confirmation_id: asked.confirmation_id },
        headers,
      ),
    );
    expect(asked.confirmation_required).toBe(true);
    expect(forged).toMatchObject({ status: 404, error_type: 'confirmation_not_found' });
    expect(mismatched).toMatchObject({ status: 409, error_type: 'confirmation_mismatch' });
    expect(pf360.matching('POST', pf360Paths.schedule)).toEqual([]);
  });

  it("lets customer B's token reach neither A's session nor A's projects, and sends PF360 nothing about them", async () => {
    // Prepare
    const a = conversation(customerA);
    const headersA = await a.headers();
    answered(await gateway.call('get_available_dates', { project_id: '12347' }, headersA));
    const sessionA = await readSessionItem(a.sessionId);
    pf360.reset();
    // B's own dashboard holds none of A's projects.
    pf360.inject({
      path: new RegExp(`^/dashboard/get/${customerB.client_id}/${customerB.sub}$`),
      fault: { kind: 'prefer', prefer: 'example=no_projects' },
    });
    const b = conversation(customerB, sensitive.attackerToken);
    const headersB = await b.headers();

    // Act
    const dates = answered(await gateway.call('get_available_dates', { project_id: '12347' }, headersB));
    const slots = answered(await gateway.call('get_time_slots', { project_id: '12347', date: '2026-12-02' }, headersB));

    // Assess
    expect(dates).toMatchObject({ status: 403, error_type: 'forbidden' });
    expect(slots).toMatchObject({ status: 403, error_type: 'forbidden' });
    // PF360 was asked only for B's own dashboard, with B's token: never about A's project.
    expect(pf360.requests.length).toBeGreaterThan(0);
    for (const request of pf360.requests) {
      expect(`${request.method} ${request.path}`).toBe(`GET /dashboard/get/${customerB.client_id}/${customerB.sub}`);
      expect(request.headers.authorization).toBe(sensitive.attackerToken);
    }
    expect(await readSessionItem(a.sessionId)).toEqual(sessionA);
  });

  it('reads no identity from the arguments: customer, client and session ids and _pf360 have no effect', async () => {
    // Prepare
    const b = conversation(customerB, sensitive.attackerToken);
    const tokenB = await portal.sign(customerB);
    answered(await gateway.call('list_projects', {}, await b.headers()));
    const sessionB = await readSessionItem(b.sessionId);
    pf360.reset();
    const a = conversation(customerA);
    const forged = {
      customer_id: customerB.sub,
      client_id: customerB.client_id,
      session_id: b.sessionId,
      sessionId: b.sessionId,
      auth_token: sensitive.attackerToken,
      _pf360: { token: tokenB, pf360_token: sensitive.attackerToken, mcp_session_id: b.mcpSessionId },
    };

    // Act
    const list = answered(await gateway.call('list_projects', forged, await a.headers()));
    const dates = answered(
      await gateway.call('get_available_dates', { ...forged, project_id: '12347' }, await a.headers()),
    );

    // Assess
    expect(list.total).toBe(4);
    expect(dates.project_id).toBe('12347');
    expect(pf360.requests.length).toBeGreaterThanOrEqual(2);
    for (const request of pf360.requests) {
      expect(request.path).not.toContain(customerB.client_id);
      expect(request.path).not.toContain(customerB.sub);
      expect(request.headers.authorization).toBe(sensitive.gatewayToken);
      expect(request.headers.client_id).toBe(customerA.client_id);
    }
    expect(pf360.matching('GET', pf360Paths.dashboard).map((r) => r.path)).toContain(
      `/dashboard/get/${customerA.client_id}/${customerA.sub}`,
    );
    expect(await readSessionItem(b.sessionId)).toEqual(sessionB);
    expect(await readSessionItem(a.sessionId)).toMatchObject({ customer_id: customerA.sub });
  });

  it('answers validation errors as JSON naming the field', async () => {
    const c = conversation(customerA);
    const result = answered(
      await gateway.call('get_time_slots', { project_id: '12347', date: 'next Tuesday' }, await c.headers()),
    );
    expect(result).toMatchObject({ error_type: 'validation_error', status: 400 });
    expect(String(result.error)).toMatch(/^date /);
  });
});

describe('the Lambda target invoked directly, past the interceptor', () => {
  it("refuses a forged _pf360 and ignores the Gateway's session id: nothing read, nothing sent", async () => {
    // Prepare
    const a = conversation(customerA);
    answered(await gateway.call('list_projects', {}, await a.headers()));
    const before = await readSessionItem(a.sessionId);
    pf360.reset();
    const forgedToken = await portal.sign(customerA, { foreignKey: true });

    // Act
    const forged = await target(
      { _pf360: { token: forgedToken, mcp_session_id: a.mcpSessionId } },
      gatewayContext('list_projects', a.sessionId),
    );
    const bare = await target({}, gatewayContext('list_projects', a.sessionId));

    // Assess
    expect(forged).toMatchObject({ status: 401, error_type: 'unauthorized' });
    expect(bare).toMatchObject({ status: 401, error_type: 'unauthorized' });
    expect(pf360.requests).toEqual([]);
    expect(await readSessionItem(a.sessionId)).toEqual(before);
  });
});

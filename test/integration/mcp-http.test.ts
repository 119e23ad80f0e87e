/**
 * MCP over Streamable HTTP at /mcp on the local gateway, driven by the official SDK client against
 * the run's DynamoDB Local and Prism: the chat's sign-in (401 with the protected-resource metadata
 * to discover), identity per request and bound to the MCP session, writes that wait for the
 * customer's yes (elicitation, or the two-step confirmation id), and bounded sessions.
 */
import { request as httpRequest } from 'node:http';
import { extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { OAuthProtectedResourceMetadataSchema } from '@modelcontextprotocol/sdk/shared/auth.js';
import { ElicitRequestSchema, type ElicitResult, McpError } from '@modelcontextprotocol/sdk/types.js';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPf360Token } from '../../scripts/local/gateway.js';
import { mcpCustomerSessionId } from '../../src/mcp/server.js';
import { mcpServerTools } from '../../src/mcp/tools.js';
import { type McpGateway, startMcpGateway } from '../helpers/mcp-gateway.js';
import { sessionStore } from '../helpers/sessions.js';
import { pf360Paths } from '../helpers/upstream-proxy.js';

const issuer = 'https://portal.pf360.test';
const booking = { project_id: '12350', date: '2026-12-02', time: '10:00 AM' };
let gateway: McpGateway;

beforeAll(async () => {
  gateway = await startMcpGateway({
    jwtEnv: { JWT_ISSUER: issuer },
    http: { maxSessionsPerCustomer: 2 },
    elicitationTimeoutMs: 5000,
  });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
});

type Elicit = () => Promise<ElicitResult> | ElicitResult;

interface Connected {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** Parsed text of a tool call's answer, and the answer itself. */
  call: (
    name: string,
    args?: Record<string, unknown>,
  ) => Promise<{ isError: boolean; structured?: Record<string, unknown>; body: Record<string, unknown> }>;
}

/** An SDK client on /mcp; `token` is read for every request, so a test can swap it mid-session. */
async function connect(
  token: () => string,
  options: { elicit?: Elicit; pf360Token?: string | null; target?: McpGateway } = {},
): Promise<Connected> {
  const target = options.target ?? gateway;
  const client = new Client(
    { name: 'pf360-http-test', version: '1.0.0' },
    { capabilities: options.elicit ? { elicitation: { form: {} } } : {} },
  );
  const { elicit } = options;
  if (elicit) client.setRequestHandler(ElicitRequestSchema, async () => elicit());
  const pf360 = options.pf360Token === null ? undefined : (options.pf360Token ?? localPf360Token);
  const transport = new StreamableHTTPClientTransport(new URL(target.url), {
    fetch: (url, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${token()}`);
      if (pf360) headers.set('x-pf360-token', pf360);
      return fetch(url, { ...init, headers });
    },
  });
  await client.connect(transport);
  await client.listTools();
  return {
    client,
    transport,
    call: async (name, args = {}) => {
      const result = await client.callTool({ name, arguments: args });
      const [first] = result.content as { text: string }[];
      return {
        isError: result.isError === true,
        ...(result.structuredContent ? { structured: result.structuredContent as Record<string, unknown> } : {}),
        body: JSON.parse(first?.text ?? '{}'),
      };
    },
  };
}

async function fetchSlots(c: Connected, projectId = booking.project_id) {
  await c.call('list_projects');
  await c.call('get_available_dates', { project_id: projectId });
  await c.call('get_time_slots', { project_id: projectId, date: booking.date });
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
};

function post(headers: Record<string, string>, body: unknown = initialize): Promise<Response> {
  return fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
}

/** The JSON-RPC error code of an answer that is a JSON-RPC error. */
async function rpcErrorCode(response: Response): Promise<unknown> {
  const body = (await response.json()) as { error?: { code?: unknown } };
  return body.error?.code;
}

describe('sign-in', () => {
  it('publishes protected-resource metadata naming the JWT issuer', async () => {
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const response = await fetch(`${gateway.base}${path}`);
      expect(response.status).toBe(200);
      const metadata = OAuthProtectedResourceMetadataSchema.parse(await response.json());
      expect(metadata).toEqual({
        resource: gateway.url,
        authorization_servers: [issuer],
        bearer_methods_supported: ['header'],
        resource_name: expect.any(String),
      });
    }
  });

  it.each([
    ['no token', {}, undefined],
    ['a malformed token', { authorization: 'Bearer not-a-jwt' }, 'invalid_token'],
  ])('answers %s with 401 and where to discover how to sign in', async (_what, headers, error) => {
    const response = await post(headers);
    expect(response.status).toBe(401);
    const challenge = extractWWWAuthenticateParams(response);
    expect(challenge.resourceMetadataUrl?.href).toBe(`${gateway.base}/.well-known/oauth-protected-resource/mcp`);
    expect(challenge.error).toBe(error);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await response.json()).toMatchObject({ error_type: 'unauthorized' });
  });

  it('refuses an expired token, one signed with another key and one for another audience', async () => {
    const sign = (secret: string, audience: string, exp: number) =>
      new SignJWT({ client_id: '09PF05VD', client_name: 'projectsforce-validation' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('3000001')
        .setIssuer(issuer)
        .setAudience(audience)
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(secret));
    const now = Math.floor(Date.now() / 1000);
    const { JWT_HS256_SECRET: secret = '', JWT_AUDIENCE: audience = '' } = gateway.jwtEnv;
    const cases = [
      [await sign(secret, audience, now - 120), 'token_expired'],
      [await sign('another-secret-of-at-least-32-bytes!!', audience, now + 600), 'unauthorized'],
      [await sign(secret, 'someone-else', now + 600), 'unauthorized'],
    ] as const;
    for (const [token, errorType] of cases) {
      const response = await post({ authorization: `Bearer ${token}` });
      expect(response.status).toBe(401);
      expect(extractWWWAuthenticateParams(response).error).toBe('invalid_token');
      expect(await response.json()).toMatchObject({ error_type: errorType });
    }
    // The SDK client sees the 401 as such.
    const error = await connect(() => 'x.y.z').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamableHTTPError);
    expect((error as StreamableHTTPError).code).toBe(401);
  });

  it('answers only requests for this machine (Host and Origin)', async () => {
    const token = await gateway.tokenFor('3000001');
    const evilOrigin = await post({ authorization: `Bearer ${token}`, origin: 'http://evil.example' });
    expect(evilOrigin.status).toBe(403);
    const evilHost = await new Promise<number>((resolve, reject) => {
      const url = new URL(gateway.url);
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: '/mcp', method: 'POST', headers: { host: 'evil.example' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(initialize));
    });
    expect(evilHost).toBe(403);
  });
});

describe('the endpoint', () => {
  it('answers what is not a session’s request as the MCP transport spec says', async () => {
    const token = await gateway.tokenFor('3000006');
    const auth = { authorization: `Bearer ${token}` };
    const notJson = await fetch(gateway.url, { method: 'POST', headers: auth, body: '{"jsonrpc": ' });
    expect([notJson.status, await rpcErrorCode(notJson)]).toEqual([400, -32700]);
    const noSession = await post(auth, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(noSession.status).toBe(400);
    expect((await fetch(gateway.url, { headers: { ...auth, accept: 'text/event-stream' } })).status).toBe(400);
    const unknown = await post(
      { ...auth, 'mcp-session-id': 'no-such-session' },
      { jsonrpc: '2.0', id: 3, method: 'ping' },
    );
    expect([unknown.status, await rpcErrorCode(unknown)]).toEqual([404, -32001]);
    const put = await fetch(gateway.url, { method: 'PUT', headers: auth, body: '{}' });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, POST, DELETE']);
    const badPf360 = await post({ ...auth, 'x-pf360-token': 'x'.repeat(5000) });
    expect(badPf360.status).toBe(400);
    const postMetadata = await fetch(`${gateway.base}/.well-known/oauth-protected-resource/mcp`, { method: 'POST' });
    expect(postMetadata.status).toBe(405);
    // Other paths are the gateway's.
    expect((await fetch(`${gateway.base}/mcp-not`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});

describe('a signed-in client', () => {
  it('lists the 13 tools with output schemas and reads the token’s customer’s projects', async () => {
    const token = await gateway.tokenFor('3000002');
    const c = await connect(() => token);
    const { tools } = await c.client.listTools();
    expect(tools).toHaveLength(13);
    expect(tools).toEqual(mcpServerTools);
    gateway.pf360.reset();
    const projects = await c.call('list_projects', { customer_id: '1645975', client_id: 'EVILCORP' });
    expect(projects.isError).toBe(false);
    expect(projects.structured).toEqual(projects.body);
    expect(projects.structured?.total).toBe(4);
    expect(gateway.pf360.requests.map((r) => r.path)).toEqual(['/dashboard/get/09PF05VD/3000002']);
    // The customer's session, created by the chat's rules with the PF360 token of the header.
    const session = await sessionStore().get(mcpCustomerSessionId({ clientId: '09PF05VD', customerId: '3000002' }));
    expect(session).toMatchObject({ customerId: '3000002', authToken: localPf360Token, stage: 'test' });
    await c.client.close();
  });

  it('needs X-PF360-Token to start the customer’s session', async () => {
    const token = await gateway.tokenFor('3000003');
    const without = await connect(() => token, { pf360Token: null });
    const refused = await without.call('list_projects');
    expect(refused).toMatchObject({ isError: true, body: { error_type: 'validation_error', field: 'X-PF360-Token' } });
    expect(refused.structured).toBeUndefined();
  });

  it('refuses a request on its MCP session with another customer’s token, and takes a fresh token of its own', async () => {
    const mine = await gateway.tokenFor('3000004');
    let current = mine;
    const c = await connect(() => current);
    current = await gateway.tokenFor('3000005');
    const error = await c.call('list_projects').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamableHTTPError);
    expect((error as StreamableHTTPError).code).toBe(403);
    current = await gateway.tokenFor('3000004', 900);
    expect(current).not.toBe(mine);
    expect((await c.call('list_projects')).isError).toBe(false);
  });
});

describe('a write from a client without elicitation (two steps)', () => {
  it('changes nothing on the first call; only the id, once, for those arguments, books', async () => {
    const token = await gateway.tokenFor('3000010');
    const c = await connect(() => token);
    await fetchSlots(c);
    gateway.pf360.reset();
    const asked = await c.call('confirm_appointment', booking);
    expect(asked.structured).toMatchObject({ confirmation_required: true, operation: 'confirm_appointment' });
    expect(String(asked.structured?.summary)).toMatch(/on Wednesday, December 2, 2026 at 10:00 AM\.$/);
    const id = asked.structured?.confirmation_id;
    expect(gateway.pf360.matching('POST', pf360Paths.schedule)).toHaveLength(0);

    const forged = await c.call('confirm_appointment', { ...booking, confirmation_id: 'c-AAAAAAAAAAAAAAAAAAAAAA' });
    expect(forged).toMatchObject({ isError: true, body: { error_type: 'confirmation_not_found' } });
    const mismatched = await c.call('confirm_appointment', { ...booking, time: '01:00 PM', confirmation_id: id });
    expect(mismatched).toMatchObject({ isError: true, body: { error_type: 'confirmation_mismatch' } });
    // Another customer cannot use it: the id is looked up in their own session.
    const otherToken = await gateway.tokenFor('3000011');
    const other = await connect(() => otherToken);
    await fetchSlots(other);
    const stolen = await other.call('confirm_appointment', { ...booking, confirmation_id: id });
    expect(stolen).toMatchObject({ isError: true, body: { error_type: 'confirmation_not_found' } });
    expect(gateway.pf360.matching('POST', pf360Paths.schedule)).toHaveLength(0);

    // The customer's next MCP session (the Inspector opens one per call) carries on their session.
    const next = await connect(() => token);
    const booked = await next.call('confirm_appointment', { ...booking, confirmation_id: id });
    expect(booked).toMatchObject({ isError: false, structured: { scheduled_date: booking.date, test_mode: false } });
    const replayed = await next.call('confirm_appointment', { ...booking, confirmation_id: id });
    expect(replayed).toMatchObject({ isError: true, body: { error_type: 'confirmation_not_found' } });
    expect(gateway.pf360.matching('POST', pf360Paths.schedule)).toHaveLength(1);
  });
});

describe('a write from a client that can elicit', () => {
  it('books after the customer confirms in the form', async () => {
    const token = await gateway.tokenFor('3000020');
    const questions: string[] = [];
    const c = await connect(() => token, {
      elicit: () => {
        questions.push('asked');
        return { action: 'accept', content: { decision: 'confirm' } };
      },
    });
    await fetchSlots(c);
    gateway.pf360.reset();
    const booked = await c.call('confirm_appointment', booking);
    expect(booked).toMatchObject({ isError: false, structured: { scheduled_date: booking.date } });
    expect(questions).toEqual(['asked']);
    expect(gateway.pf360.matching('POST', pf360Paths.schedule)).toHaveLength(1);
  });

  it.each([
    ['declines', { action: 'decline' }, 'declined'],
    ['cancels', { action: 'cancel' }, 'cancelled'],
    ['denies', { action: 'accept', content: { decision: 'deny' } }, 'denied'],
  ] as const)('changes nothing when the customer %s, and says so', async (_what, answer, expected) => {
    const token = await gateway.tokenFor('3000021');
    const c = await connect(() => token, { elicit: () => answer as ElicitResult });
    await fetchSlots(c);
    gateway.pf360.reset();
    const result = await c.call('confirm_appointment', booking);
    expect(result).toMatchObject({ isError: false, structured: { confirmed: false, answer: expected } });
    expect(String(result.structured?.message)).toContain('nothing was changed');
    expect(gateway.pf360.matching('POST', pf360Paths.schedule)).toHaveLength(0);
  });
});

describe('MCP sessions', () => {
  it('closes a customer’s least recently used session when they open one over the cap', async () => {
    const token = await gateway.tokenFor('3000030');
    const otherToken = await gateway.tokenFor('3000031');
    const other = await connect(() => otherToken);
    const first = await connect(() => token);
    const second = await connect(() => token);
    await second.call('get_business_hours');
    const third = await connect(() => token);
    const error = await first.call('get_business_hours').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamableHTTPError);
    expect((error as StreamableHTTPError).code).toBe(404);
    expect((await second.call('get_business_hours')).isError).toBe(false);
    expect((await third.call('get_business_hours')).isError).toBe(false);
    expect((await other.call('get_business_hours')).isError).toBe(false);
  });

  it('ends one on DELETE, and answers a question still waiting when its session closes', async () => {
    const token = await gateway.tokenFor('3000032');
    const c = await connect(() => token);
    const before = gateway.mcp.sessionCount();
    await c.transport.terminateSession();
    expect(gateway.mcp.sessionCount()).toBe(before - 1);

    // The customer never answers; two more sessions of theirs close this one under the cap.
    let asked: () => void = () => undefined;
    const questionShown = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const waiting = await connect(() => token, {
      elicit: () => {
        asked();
        return new Promise<ElicitResult>(() => undefined);
      },
    });
    await fetchSlots(waiting);
    const started = Date.now();
    const pending = waiting.call('confirm_appointment', booking).catch((e: unknown) => e);
    await questionShown;
    await connect(() => token);
    await connect(() => token);
    const error = await pending;
    expect(error).toBeInstanceOf(McpError);
    expect(String((error as McpError).message)).toMatch(/session was closed \(cap\)/);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('closes a session idle for longer than the idle time, and refuses new ones past the overall cap', async () => {
    const idle = await startMcpGateway({ http: { idleTimeoutMs: 300, sweepIntervalMs: 50, maxSessions: 1 } });
    try {
      const token = await idle.tokenFor('3000040');
      const c = await connect(() => token, { target: idle });
      expect((await c.call('get_business_hours')).isError).toBe(false);
      expect(idle.mcp.sessionCount()).toBe(1);
      // Past the overall cap a new session is refused, not someone else's closed.
      const otherToken = await idle.tokenFor('3000041');
      const refused = await connect(() => otherToken, { target: idle }).catch((e: unknown) => e);
      expect((refused as StreamableHTTPError).code).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(idle.mcp.sessionCount()).toBe(0);
      const error = await c.call('get_business_hours').catch((e: unknown) => e);
      expect((error as StreamableHTTPError).code).toBe(404);
      // A new session works at once.
      const again = await connect(() => token, { target: idle });
      expect((await again.call('get_business_hours')).isError).toBe(false);
    } finally {
      await idle.close();
    }
  });
});

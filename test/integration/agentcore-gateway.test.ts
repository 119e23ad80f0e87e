/**
 * The AgentCore Gateway Lambda target with realistic Gateway invocations: flat arguments, the
 * tool name (prefixed with the target name) and the session in the Lambda client context, plain
 * JSON back. Real handlers, DynamoDB Local, Prism behind a recording proxy.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGatewayTargetHandler, toolNameOf } from '../../src/agentcore/gateway-target.js';
import { createLogger } from '../../src/observability/logger.js';
import { createToolInvoker } from '../../src/tools/invoke-tool.js';
import { actionEnv, factories } from '../helpers/actions.js';
import { sensitive } from '../helpers/sensitive.js';
import { createSession, demoCustomer, readSessionItem } from '../helpers/sessions.js';
import { pf360Paths, startUpstreamProxy, type UpstreamProxy } from '../helpers/upstream-proxy.js';

let pf360: UpstreamProxy;
let target: ReturnType<typeof createGatewayTargetHandler>;
beforeAll(async () => {
  pf360 = await startUpstreamProxy(process.env.PF360_BASE_URL ?? '');
  const env = actionEnv({ PF360_BASE_URL: pf360.url, ENABLE_REAL_CONFIRM: 'true' });
  target = createGatewayTargetHandler(
    createToolInvoker({
      scheduling: factories.scheduling(env),
      information: factories.information(env),
      notes: factories.notes(env),
    }),
    createLogger('test-agentcore'),
  );
});
afterAll(() => pf360.close());
beforeEach(() => pf360.reset());

/** What the Gateway passes in the Lambda context (keys as its documentation spells them). */
function gatewayContext(tool: string, sessionId: string | undefined, casing: 'camel' | 'lower' = 'camel') {
  const prefix = casing === 'camel' ? 'bedrockAgentCore' : 'bedrockagentcore';
  return {
    awsRequestId: 'req-agentcore-1',
    getRemainingTimeInMillis: () => 25_000,
    clientContext: {
      custom: {
        [`${prefix}GatewayId`]: 'pf360-gateway-abc123',
        [`${prefix}TargetId`]: 'TARGET0001',
        [`${prefix}MessageVersion`]: '1.0',
        [`${prefix}ToolName`]: `pf360-tools___${tool}`,
        ...(sessionId ? { [`${prefix}SessionId`]: sessionId } : {}),
      },
    },
  };
}

describe('AgentCore Gateway target', () => {
  it('strips the target prefix from the tool name', () => {
    expect(toolNameOf('pf360-tools___get_time_slots')).toBe('get_time_slots');
    expect(toolNameOf('a___b___list_notes')).toBe('list_notes');
    expect(toolNameOf('list_notes')).toBe('list_notes');
  });

  it('runs the booking flow with flat arguments and answers plain JSON', async () => {
    const { sessionId } = await createSession();
    const list = await target({}, gatewayContext('list_projects', sessionId));
    expect(list.total).toBe(4);
    const dates = await target({ project_id: '12347' }, gatewayContext('get_available_dates', sessionId));
    expect(dates.project_id).toBe('12347');
    const slots = await target(
      { project_id: '12347', date: '2026-12-02' },
      gatewayContext('get_time_slots', sessionId, 'lower'),
    );
    expect(slots.slots).toContain('10:00 AM');
    const booked = await target(
      { project_id: '12347', date: '2026-12-02', time: '10:00 AM' },
      gatewayContext('confirm_appointment', sessionId),
    );
    expect(booked).toMatchObject({ scheduled_date: '2026-12-02', scheduled_time: '10:00 AM', test_mode: false });
    expect(pf360.matching('POST', pf360Paths.schedule)).toHaveLength(1);
  });

  it('ignores a forged identity argument: the session decides who the customer is', async () => {
    const { sessionId } = await createSession();
    const result = await target(
      { customer_id: '7777777', client_id: 'EVILCORP', auth_token: 'stolen' },
      gatewayContext('list_projects', sessionId),
    );
    expect(result.total).toBe(4);
    expect(pf360.requests.map((r) => r.path)).toEqual([
      `/dashboard/get/${demoCustomer.clientId}/${demoCustomer.customerId}`,
    ]);
    expect(pf360.requests[0]?.headers.authorization).toBe(demoCustomer.authToken);
  });

  it("ignores session_id and sessionId arguments naming another customer's session", async () => {
    const { sessionId } = await createSession();
    const other = await createSession({
      customerId: '7777777',
      clientId: 'OTHERCO1',
      clientName: 'other-co',
      authToken: sensitive.gatewayToken,
    });
    const otherBefore = await readSessionItem(other.sessionId);
    const forged = { session_id: other.sessionId, sessionId: other.sessionId };

    const list = await target(forged, gatewayContext('list_projects', sessionId));
    expect(list.total).toBe(4);
    const dates = await target({ ...forged, project_id: '12347' }, gatewayContext('get_available_dates', sessionId));
    expect(dates.project_id).toBe('12347');

    // PF360 saw only the customer of the session in the client context, with that session's token.
    expect(pf360.requests.length).toBeGreaterThanOrEqual(2);
    for (const request of pf360.requests) {
      expect(request.path).toContain(`/${demoCustomer.clientId}/`);
      expect(request.path).not.toContain('OTHERCO1');
      expect(request.path).not.toContain('7777777');
      expect(request.headers.authorization).toBe(demoCustomer.authToken);
      expect(request.headers.client_id).toBe(demoCustomer.clientId);
    }
    expect(pf360.matching('GET', pf360Paths.dashboard).map((r) => r.path)).toContain(
      `/dashboard/get/${demoCustomer.clientId}/${demoCustomer.customerId}`,
    );
    // The named session's state went where it belongs, and the other customer's session is untouched.
    const mine = await readSessionItem(sessionId);
    expect(Object.keys((mine?.scheduling ?? {}) as object)).toContain('12347');
    expect(await readSessionItem(other.sessionId)).toEqual(otherBefore);
  });

  it('answers an unknown tool with JSON the model can act on, and calls nothing', async () => {
    const { sessionId } = await createSession();
    const result = await target({}, gatewayContext('delete_everything', sessionId));
    expect(result).toMatchObject({ error_type: 'unknown_tool', status: 404 });
    expect(String(result.error)).toContain('list_projects');
    expect(pf360.requests).toEqual([]);
  });

  it('refuses a call without a session, and a write whose slot was not offered', async () => {
    const noSession = await target({}, gatewayContext('list_projects', undefined));
    expect(noSession).toMatchObject({ error_type: 'session_missing', status: 401 });
    const noTool = await target({}, { clientContext: { custom: {} } });
    expect(noTool).toMatchObject({ error_type: 'unknown_tool', status: 404 });
    const { sessionId } = await createSession();
    const invented = await target(
      { project_id: '12347', date: '2026-12-02', time: '10:00 AM' },
      gatewayContext('confirm_appointment', sessionId),
    );
    expect(invented).toMatchObject({ error_type: 'dates_not_fetched', status: 409 });
    expect(pf360.matching('POST', pf360Paths.schedule)).toHaveLength(0);
  });

  it('answers validation errors as JSON naming the field', async () => {
    const { sessionId } = await createSession();
    const result = await target(
      { project_id: '12347', date: 'next Tuesday' },
      gatewayContext('get_time_slots', sessionId),
    );
    expect(result).toMatchObject({ error_type: 'validation_error', status: 400 });
    expect(String(result.error)).toMatch(/^date /);
  });
});

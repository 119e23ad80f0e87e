/**
 * The AgentCore Gateway target and the chat API (like the action groups, test/unit/bedrock/dispatch.test.ts) turn a throw
 * it did not expect into a 500 and logs it. A thrown non-Error (a string, an object) is logged by
 * its type only: its value may carry a payload, and payloads never reach the logs.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createGatewayTargetHandler } from '../../src/agentcore/gateway-target.js';
import { createTokenVerifier } from '../../src/chat/auth.js';
import { createChatHttpHandler } from '../../src/chat/http.js';
import type { ChatService } from '../../src/chat/service.js';
import { createLogger } from '../../src/observability/logger.js';
import { InMemorySessionStore } from '../fakes/in-memory-session-store.js';
import { audience, customerA, gatewayContext, hs256Issuer, issuer } from '../helpers/agentcore-gateway.js';
import { sensitive } from '../helpers/sensitive.js';

const secret = 'customer Jane Roe, 555-0100';
const secret32 = 'a-local-secret-that-is-long-enough-0123';
const thrownValues: [string, unknown][] = [
  ['a string', secret],
  ['a plain object', { note: secret }],
];

function watchedLogger(name: string) {
  const logger = createLogger(name);
  const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  return { logger, error };
}

describe('AgentCore Gateway target', () => {
  it.each(thrownValues)('answers 500 and logs only the type when the tool throws %s', async (_kind, thrown) => {
    const { logger, error } = watchedLogger('gateway-target-test');
    const verifyToken = createTokenVerifier({ hs256Secret: secret32, issuer, audience, clockToleranceSeconds: 5 });
    const handler = createGatewayTargetHandler({
      invoke: async () => {
        throw thrown;
      },
      verifyToken,
      sessions: new InMemorySessionStore(),
      stage: 'test',
      clock: () => new Date(),
      logger,
    });
    const token = await hs256Issuer(secret32).sign(customerA);
    const result = await handler(
      { _pf360: { token, pf360_token: sensitive.gatewayToken } },
      gatewayContext('list_projects'),
    );
    expect(result).toMatchObject({ error_type: 'internal_error', status: 500 });
    expect(error).toHaveBeenCalledWith('failed unexpectedly', { thrown: typeof thrown });
    expect(JSON.stringify(error.mock.calls)).not.toContain('Jane');
  });
});

describe('chat API', () => {
  const event = {
    version: '2.0',
    rawPath: '/chat',
    headers: { authorization: 'Bearer x' },
    body: JSON.stringify({ message: 'hello' }),
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST' }, requestId: 'r-2' },
  } as unknown as APIGatewayProxyEventV2;

  it.each(thrownValues)('answers 500 and logs only the type when the turn throws %s', async (_kind, thrown) => {
    const { logger, error } = watchedLogger('chat-http-test');
    const service = {
      sendMessage: async () => {
        throw thrown;
      },
      answerConfirmation: async () => {
        throw thrown;
      },
    } as unknown as ChatService;
    const handler = createChatHttpHandler({
      service,
      verifyToken: async () => ({ customerId: '1645975', clientId: '09PF05VD', clientName: 'Demo' }),
      rateLimiter: { hit: async () => ({ allowed: true, retryAfterSeconds: 0 }) },
      clock: () => new Date(),
      logger,
    });
    const result = await handler(event);
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(String(result.body))).toMatchObject({ error_type: 'internal_error' });
    expect(error).toHaveBeenCalledWith('failed unexpectedly', { thrown: typeof thrown });
    expect(JSON.stringify(error.mock.calls)).not.toContain('Jane');
  });
});

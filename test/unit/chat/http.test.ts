/** The chat API's HTTP edge on fakes: routing, body and header checks, the rate limit, and error bodies. */
import { describe, expect, it } from 'vitest';
import { createChatHttpHandler, notConfiguredMessage } from '../../../src/chat/http.js';
import type { ChatService } from '../../../src/chat/service.js';
import { AppError } from '../../../src/domain/errors.js';
import { createLogger } from '../../../src/observability/logger.js';
import { httpEvent } from '../../helpers/chat.js';

const who = { customerId: '1645975', clientId: '09PF05VD', clientName: 'projectsforce-validation' };
const calls: string[] = [];
const service = {
  sendMessage: async (_who: unknown, token: string | undefined) => {
    calls.push(`message ${token ?? '-'}`);
    return { type: 'reply', session_id: 's-1', reply: 'Hello.' };
  },
  answerConfirmation: async () => {
    calls.push('confirm');
    return { type: 'reply', session_id: 's-1', reply: 'Done.' };
  },
} as unknown as ChatService;

function handler(options: { allowed?: boolean; service?: ChatService | undefined } = {}) {
  return createChatHttpHandler({
    ...('service' in options ? (options.service ? { service: options.service } : {}) : { service }),
    verifyToken: async (authorization) => {
      if (authorization !== 'Bearer a.b.c') throw new AppError('unauthorized');
      return who;
    },
    rateLimiter: { hit: async () => ({ allowed: options.allowed ?? true, retryAfterSeconds: 17 }) },
    clock: () => new Date(),
    logger: createLogger('chat-http-test'),
  });
}

const signedIn = { authorization: 'Bearer a.b.c' };
const answer = async (result: Awaited<ReturnType<ReturnType<typeof handler>>>) => ({
  status: result.statusCode,
  headers: result.headers,
  body: JSON.parse(String(result.body)),
});

describe('the chat HTTP edge', () => {
  it('answers 404 for another path and 405 for another method', async () => {
    // Prepare
    const get = {
      ...httpEvent('/chat', {}),
      requestContext: {
        ...httpEvent('/chat', {}).requestContext,
        http: { ...httpEvent('/chat', {}).requestContext.http, method: 'GET' },
      },
    };

    // Act
    const missing = await answer(await handler()(httpEvent('/chats', { message: 'hi' }, signedIn)));
    const wrongMethod = await answer(await handler()(get));

    // Assess
    expect([missing.status, missing.body.error_type]).toEqual([404, 'not_found']);
    expect([wrongMethod.status, wrongMethod.body.error_type]).toEqual([405, 'method_not_allowed']);
  });

  it('answers 503 naming the settings when no agent is configured', async () => {
    // Act
    const result = await answer(await handler({ service: undefined })(httpEvent('/chat', { message: 'hi' }, signedIn)));

    // Assess
    expect(result).toMatchObject({
      status: 503,
      body: { error: notConfiguredMessage, error_type: 'agent_not_configured' },
    });
  });

  it.each([
    ['not JSON', '{"message":', 'The request body must be JSON.'],
    ['a list', '[1]', 'The request body must be a JSON object.'],
    ['empty', '', 'The request body must be JSON.'],
  ])('refuses a body that is %s, naming it', async (_label, body, message) => {
    // Act
    const result = await answer(await handler()(httpEvent('/chat', body, signedIn)));

    // Assess
    expect(result).toMatchObject({
      status: 400,
      body: { error: message, error_type: 'validation_error', field: 'body' },
    });
  });

  it('reads a base64-encoded body, as API Gateway may pass it', async () => {
    // Prepare
    const event = {
      ...httpEvent('/chat', '', signedIn),
      body: Buffer.from('{"message":"hi"}').toString('base64'),
      isBase64Encoded: true,
    };

    // Act
    const result = await answer(await handler()(event));

    // Assess
    expect(result.status).toBe(200);
  });

  it('says how long to wait when the customer is over the rate limit, and sends nothing on', async () => {
    // Prepare
    calls.length = 0;

    // Act
    const result = await answer(await handler({ allowed: false })(httpEvent('/chat', { message: 'hi' }, signedIn)));

    // Assess
    expect(result).toMatchObject({
      status: 429,
      headers: { 'retry-after': '17' },
      body: { error_type: 'rate_limited' },
    });
    expect(calls).toEqual([]);
  });

  it('passes a valid PF360 token on and routes /chat/confirm to the confirmation', async () => {
    // Prepare
    calls.length = 0;
    const confirm = { session_id: 's-1', confirmation_id: 'c-1', decision: 'confirm' };

    // Act
    await handler()(httpEvent('/chat', { message: 'hi' }, { ...signedIn, 'x-pf360-token': 'Bearer t-1' }));
    await handler()(httpEvent('/chat/confirm', confirm, signedIn));

    // Assess
    expect(calls).toEqual(['message Bearer t-1', 'confirm']);
  });
});

/**
 * The chat HTTP handler with real sessions in DynamoDB Local and the Bedrock runtime replaced by
 * aws-sdk-client-mock: authentication, session ownership, request validation, rate limits, what
 * is (and is not) sent to the agent, stream errors, and the confirmation round trip.
 */
import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type InvokeAgentCommandInput,
  type ResponseStream,
  type ReturnControlPayload,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createChatHandler } from '../../src/chat/wiring.js';
import { chatEnv, chunk, completion, httpEvent, named, token } from '../helpers/chat.js';
import { sensitive } from '../helpers/sensitive.js';
import { readSessionItem } from '../helpers/sessions.js';

const client = new BedrockAgentRuntimeClient({ region: 'us-east-1' });
const agent = mockClient(client);
const pf360Token = sensitive.portalToken;

/** Scripted answers for the next agent calls, in order; afterwards the agent says hello. */
const script: ResponseStream[][] = [];

beforeEach(() => {
  agent.reset();
  script.length = 0;
  agent
    .on(InvokeAgentCommand)
    .callsFake(async () => ({ completion: completion(script.shift() ?? [chunk('Hello Maria!')]) }));
});

function handler(overrides: Record<string, string> = {}) {
  return createChatHandler(chatEnv(overrides), { agentClient: client });
}

async function send(
  h: ReturnType<typeof handler>,
  body: unknown,
  headers: Record<string, string> = {},
  path = '/chat',
) {
  const result = await h(httpEvent(path, body, headers));
  return { status: result.statusCode, headers: result.headers ?? {}, body: JSON.parse(result.body ?? '{}') };
}

async function auth(claims = {}) {
  return { authorization: `Bearer ${await token(claims)}`, 'x-pf360-token': pf360Token };
}

function lastInvoke(): InvokeAgentCommandInput {
  const calls = agent.commandCalls(InvokeAgentCommand);
  const last = calls.at(-1);
  if (!last) throw new Error('the agent was not invoked');
  return last.args[0].input;
}

describe('POST /chat', () => {
  it('starts a session, runs the agent with identity in session attributes, and answers its text', async () => {
    const h = handler();
    const result = await send(h, { message: 'Which projects do I have?' }, await auth());
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ type: 'reply', reply: 'Hello Maria!' });
    const sessionId = result.body.session_id as string;
    expect(sessionId).toMatch(/^[0-9a-zA-Z._:-]{2,100}$/);
    expect(sessionId.length).toBeGreaterThanOrEqual(24);

    const input = lastInvoke();
    expect(input).toMatchObject({
      agentId: 'SUPERVISOR',
      agentAliasId: 'LIVEALIAS1',
      sessionId,
      inputText: 'Which projects do I have?',
      enableTrace: true,
    });
    expect(input.sessionState?.sessionAttributes).toEqual({ customer_id: '1645975', client_id: '09PF05VD' });
    expect(input.sessionState?.promptSessionAttributes).toMatchObject({
      customer_first_name: 'Maria',
      today: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    // The PF360 token is kept server-side only.
    expect(JSON.stringify(input)).not.toContain(pf360Token);
    const item = await readSessionItem(sessionId);
    expect(item).toMatchObject({ customer_id: '1645975', client_id: '09PF05VD', auth_token: pf360Token });
  });

  it('gives each new conversation its own session id, in the form Bedrock accepts', async () => {
    const h = handler();
    const first = await send(h, { message: 'hi' }, await auth());
    const firstInvoke = lastInvoke();
    const second = await send(h, { message: 'hi' }, await auth());
    const ids = [first.body.session_id, second.body.session_id] as string[];
    for (const id of ids) expect(id).toMatch(/^[0-9a-zA-Z._:-]{2,100}$/);
    expect(ids[0]).not.toBe(ids[1]);
    // Each is the session the agent ran in, and each is stored for the customer.
    expect(firstInvoke.sessionId).toBe(ids[0]);
    expect(lastInvoke().sessionId).toBe(ids[1]);
    for (const id of ids) {
      expect(await readSessionItem(id)).toMatchObject({
        session_id: id,
        customer_id: '1645975',
        client_id: '09PF05VD',
      });
    }
  });

  /** Today's date in `timeZone`, as the agent is told it (YYYY-MM-DD). */
  const dateIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());

  it.each([
    ['Pacific/Kiritimati', 'UTC+14'],
    ['Pacific/Pago_Pago', 'UTC-11'],
  ])("tells the agent today's date in the customer's time zone (%s, %s)", async (zone) => {
    const h = handler();
    const before = dateIn(zone);
    const result = await send(h, { message: 'What day is it?' }, await auth({ zoneinfo: zone }));
    const after = dateIn(zone);
    expect(result.status).toBe(200);
    const attributes = lastInvoke().sessionState?.promptSessionAttributes;
    // Computed right before and after the call: either is right if the zone's midnight fell in between.
    expect([before, after]).toContain(attributes?.today);
    expect(attributes?.time_zone).toBe(zone);
    expect(await readSessionItem(result.body.session_id as string)).toMatchObject({ time_zone: zone });
  });

  it('gives customers 25 hours apart different dates, so the zone, not the server clock, decides', async () => {
    const h = handler();
    const before = [dateIn('Pacific/Kiritimati'), dateIn('Pacific/Pago_Pago')];
    await send(h, { message: 'hi' }, await auth({ zoneinfo: 'Pacific/Kiritimati' }));
    const east = lastInvoke().sessionState?.promptSessionAttributes?.today;
    await send(h, { message: 'hi' }, await auth({ zoneinfo: 'Pacific/Pago_Pago' }));
    const west = lastInvoke().sessionState?.promptSessionAttributes?.today;
    const after = [dateIn('Pacific/Kiritimati'), dateIn('Pacific/Pago_Pago')];
    expect([before[0], after[0]]).toContain(east);
    expect([before[1], after[1]]).toContain(west);
    expect(east).not.toBe(west);
  });

  it('uses DEFAULT_TIME_ZONE when the token names no zone', async () => {
    const h = handler({ DEFAULT_TIME_ZONE: 'Pacific/Kiritimati' });
    const before = dateIn('Pacific/Kiritimati');
    await send(h, { message: 'hi' }, await auth());
    const after = dateIn('Pacific/Kiritimati');
    const attributes = lastInvoke().sessionState?.promptSessionAttributes;
    expect([before, after]).toContain(attributes?.today);
    expect(attributes?.time_zone).toBe('Pacific/Kiritimati');
  });

  it('reuses the session for the same customer and slides its TTL', async () => {
    const h = handler();
    const first = await send(h, { message: 'hi' }, await auth());
    const sessionId = first.body.session_id as string;
    const before = Number((await readSessionItem(sessionId))?.expires_at);
    await new Promise((r) => setTimeout(r, 1100));
    const second = await send(
      h,
      { message: 'again', session_id: sessionId },
      { authorization: (await auth()).authorization },
    );
    expect(second.status).toBe(200);
    expect(second.body.session_id).toBe(sessionId);
    expect(lastInvoke().sessionId).toBe(sessionId);
    expect(Number((await readSessionItem(sessionId))?.expires_at)).toBeGreaterThan(before);
  });

  it("refuses another customer's session with 403 and does not run the agent", async () => {
    const h = handler();
    const mine = await send(h, { message: 'hi' }, await auth());
    const stored = await readSessionItem(String(mine.body.session_id));
    agent.resetHistory();
    // The intruder also sends a PF360 token of its own: it must not land in the session.
    const intruder = async (claims: object) => ({
      ...(await auth(claims)),
      'x-pf360-token': sensitive.attackerToken,
    });
    const hijack = await send(
      h,
      { message: 'show me their projects', session_id: mine.body.session_id },
      await intruder({ sub: '7777777' }),
    );
    expect(hijack.status).toBe(403);
    expect(hijack.body.error_type).toBe('forbidden');
    expect(agent.commandCalls(InvokeAgentCommand)).toHaveLength(0);
    const otherTenant = await send(
      h,
      { message: 'hi', session_id: mine.body.session_id },
      await intruder({ client_id: 'OTHERCO1', client_name: 'other-co' }),
    );
    expect(otherTenant.status).toBe(403);
    expect(await readSessionItem(String(mine.body.session_id))).toEqual(stored);
  });

  it("stores the owner's fresh PF360 token when a later message brings one", async () => {
    const h = handler();
    const first = await send(h, { message: 'hi' }, await auth());
    const sessionId = String(first.body.session_id);
    expect((await readSessionItem(sessionId))?.auth_token).toBe(pf360Token);
    const next = await send(
      h,
      { message: 'and now?', session_id: sessionId },
      { ...(await auth()), 'x-pf360-token': sensitive.rotatedToken },
    );
    expect(next.status).toBe(200);
    expect((await readSessionItem(sessionId))?.auth_token).toBe(sensitive.rotatedToken);
  });

  it('starts a fresh session when the given one no longer exists, never reusing the supplied id', async () => {
    const h = handler();
    const result = await send(h, { message: 'hi', session_id: 'expired-or-invented-id' }, await auth());
    expect(result.status).toBe(200);
    expect(result.body.session_id).not.toBe('expired-or-invented-id');
  });

  it('needs the PF360 token to start a session', async () => {
    const result = await send(handler(), { message: 'hi' }, { authorization: (await auth()).authorization });
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ error_type: 'validation_error', field: 'X-PF360-Token' });
  });

  it('accepts the PF360 token written Bearer …, as PF360 itself does, and refuses one with a line break', async () => {
    // Prepare
    const signedIn = (await auth()).authorization;

    // Act
    const bearer = await send(
      handler(),
      { message: 'hi' },
      { authorization: signedIn, 'x-pf360-token': `Bearer ${sensitive.pf360Token}` },
    );
    const broken = await send(
      handler(),
      { message: 'hi' },
      { authorization: signedIn, 'x-pf360-token': `Bearer\n${sensitive.pf360Token}` },
    );

    // Assess
    expect(bearer.status).toBe(200);
    expect((await readSessionItem(String(bearer.body.session_id)))?.auth_token).toBe(`Bearer ${sensitive.pf360Token}`);
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ error_type: 'validation_error', field: 'X-PF360-Token' });
  });

  it('answers 401 without a valid bearer token', async () => {
    expect((await send(handler(), { message: 'hi' }, {})).status).toBe(401);
    expect((await send(handler(), { message: 'hi' }, { authorization: 'Bearer a.b.c' })).status).toBe(401);
  });

  it.each([
    [{ message: '' }, 'message', /must not be empty/],
    [{ message: 'x'.repeat(2001) }, 'message', /at most 2000/],
    [{ message: 42 }, 'message', /must be a string/],
    [{}, 'message', /is required/],
    [{ message: 'hi', session_id: 'bad id!' }, 'session_id', /expected format/],
    [{ message: 'hi', customer_id: '999' }, 'customer_id', /not a field/],
  ])('answers 400 naming the field for %j', async (body, field, message) => {
    const result = await send(handler(), body, await auth());
    expect(result.status).toBe(400);
    expect(result.body.field).toBe(field);
    expect(result.body.error).toMatch(message);
    expect(agent.commandCalls(InvokeAgentCommand)).toHaveLength(0);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const result = await send(handler(), '{"message": ', await auth());
    expect(result.status).toBe(400);
    expect(result.body.field).toBe('body');
  });

  it('limits each customer to RATE_LIMIT_PER_MINUTE messages, with Retry-After until the next minute', async () => {
    const h = handler({ RATE_LIMIT_PER_MINUTE: '2' });
    const headers = await auth({ sub: `rl-${Date.now()}` });
    const other = await auth({ sub: `rl2-${Date.now()}` });
    // The limiter counts calendar minutes: pin the clock 5 s into the next one.
    const minute = (Math.floor(Date.now() / 60_000) + 1) * 60_000;
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(minute + 5_000);
      expect((await send(h, { message: '1' }, headers)).status).toBe(200);
      expect((await send(h, { message: '2' }, headers)).status).toBe(200);
      const limited = await send(h, { message: '3' }, headers);
      expect(limited.status).toBe(429);
      expect(limited.body.error_type).toBe('rate_limited');
      expect(limited.headers['retry-after']).toBe('55');
      // Another customer is not affected.
      expect((await send(h, { message: '1' }, other)).status).toBe(200);
      // The next minute starts a new count.
      vi.setSystemTime(minute + 60_000);
      expect((await send(h, { message: '4' }, headers)).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([
    ['ThrottlingException', 429, 'agent_throttled'],
    ['DependencyFailedException', 502, 'agent_dependency_failed'],
    ['BadGatewayException', 502, 'agent_bad_gateway'],
    ['ValidationException', 400, 'agent_validation_error'],
    ['TimeoutError', 504, 'agent_timeout'],
  ])('maps a %s after partial text to %d without returning the partial text', async (name, status, type) => {
    agent.on(InvokeAgentCommand).callsFake(async () => ({
      completion: completion([chunk('Your appointment is bo')], named(name)),
    }));
    const result = await send(handler(), { message: 'book it' }, await auth());
    expect(result.status).toBe(status);
    expect(result.body.error_type).toBe(type);
    expect(JSON.stringify(result.body)).not.toContain('Your appointment is bo');
    if (status === 429) expect(Number(result.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('maps a failing initial call too', async () => {
    agent.on(InvokeAgentCommand).rejects(named('ThrottlingException'));
    const result = await send(handler(), { message: 'hi' }, await auth());
    expect(result.status).toBe(429);
  });

  it('answers 503 naming the settings when no agent is configured', async () => {
    const h = createChatHandler(chatEnv({ AGENT_ID: '', AGENT_ALIAS_ID: '' }), { agentClient: client });
    const result = await send(h, { message: 'hi' }, await auth());
    expect(result.status).toBe(503);
    expect(result.body.error).toMatch(
      /AGENT_PROVIDER=openai .*OPENAI_BASE_URL .*AGENT_PROVIDER=bedrock .*AGENT_ID and AGENT_ALIAS_ID/,
    );
  });
});

describe('confirmation round trip', () => {
  const returnControl = {
    invocationId: 'inv-42',
    invocationInputs: [
      {
        apiInvocationInput: {
          actionGroup: 'scheduling',
          apiPath: '/confirm-appointment',
          httpMethod: 'POST',
          actionInvocationType: 'USER_CONFIRMATION' as const,
          agentId: 'SCHEDAGT01',
          parameters: [],
          requestBody: {
            content: {
              'application/json': {
                properties: [
                  { name: 'project_id', type: 'string', value: '12350' },
                  { name: 'date', type: 'string', value: '2026-12-02' },
                  { name: 'time', type: 'string', value: '10:00 AM' },
                ],
              },
            },
          },
        },
      },
    ],
  };

  async function pending(h: ReturnType<typeof handler>, claims = {}) {
    script.push([chunk('Shall I book it?'), { returnControl }]);
    const result = await send(h, { message: 'Book 10 AM on the 2nd' }, await auth(claims));
    expect(result.status).toBe(200);
    return result.body as {
      session_id: string;
      confirmation: { confirmation_id: string; operation: string; summary: string; details: object };
    };
  }

  it('answers a pending confirmation with a readable summary', async () => {
    const body = await pending(handler());
    expect(body).toMatchObject({ type: 'confirmation_required', reply: 'Shall I book it?' });
    expect(body.confirmation).toMatchObject({
      operation: 'confirm_appointment',
      summary: 'Book project 12350 on Wednesday, December 2, 2026 at 10:00 AM.',
      details: { project_id: '12350', date: '2026-12-02', time: '10:00 AM' },
    });
  });

  it.each([
    ['confirm', 'CONFIRM'],
    ['deny', 'DENY'],
  ])('resumes the agent with %s for the returned invocation, once', async (decision, state) => {
    const h = handler();
    const body = await pending(h);
    agent.on(InvokeAgentCommand).callsFake(async () => ({ completion: completion([chunk(`ok ${decision}`)]) }));
    const confirm = { session_id: body.session_id, confirmation_id: body.confirmation.confirmation_id, decision };
    const answered = await send(h, confirm, await auth(), '/chat/confirm');
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ type: 'reply', reply: `ok ${decision}` });
    const input = lastInvoke();
    expect(input.sessionId).toBe(body.session_id);
    expect(input.inputText).toBeUndefined();
    expect(input.sessionState?.invocationId).toBe('inv-42');
    expect(input.sessionState?.returnControlInvocationResults).toEqual([
      {
        apiResult: {
          actionGroup: 'scheduling',
          apiPath: '/confirm-appointment',
          httpMethod: 'POST',
          confirmationState: state,
          agentId: 'SCHEDAGT01',
        },
      },
    ]);
    const again = await send(h, confirm, await auth(), '/chat/confirm');
    expect(again.status).toBe(404);
    expect(again.body.error_type).toBe('confirmation_not_found');
  });

  it('lets only one of two simultaneous answers to the same confirmation through', async () => {
    const h = handler();
    for (let round = 0; round < 3; round++) {
      const body = await pending(h);
      agent.resetHistory();
      script.push([chunk('Booked.')]);
      const confirm = {
        session_id: body.session_id,
        confirmation_id: body.confirmation.confirmation_id,
        decision: 'confirm',
      };
      const headers = await auth();
      const answers = await Promise.all([
        send(h, confirm, headers, '/chat/confirm'),
        send(h, confirm, headers, '/chat/confirm'),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 404]);
      expect(answers.find((a) => a.status === 200)?.body).toMatchObject({ type: 'reply', reply: 'Booked.' });
      expect(answers.find((a) => a.status === 404)?.body.error_type).toBe('confirmation_not_found');
      // The agent was resumed exactly once, with the returned invocation.
      const calls = agent.commandCalls(InvokeAgentCommand).map((c) => c.args[0].input);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.sessionState?.invocationId).toBe('inv-42');
      expect(calls[0]?.sessionState?.returnControlInvocationResults?.[0]?.apiResult?.confirmationState).toBe('CONFIRM');
    }
  });

  it('binds a confirmation to its session and customer', async () => {
    const h = handler();
    const body = await pending(h);
    const other = await send(h, { message: 'hi' }, await auth());
    agent.resetHistory();
    const wrongSession = await send(
      h,
      { session_id: other.body.session_id, confirmation_id: body.confirmation.confirmation_id, decision: 'confirm' },
      await auth(),
      '/chat/confirm',
    );
    expect(wrongSession.body).toMatchObject({ error_type: 'confirmation_not_found' });
    expect(wrongSession.status).toBe(404);
    const wrongCustomer = await send(
      h,
      { session_id: body.session_id, confirmation_id: body.confirmation.confirmation_id, decision: 'confirm' },
      await auth({ sub: '7777777' }),
      '/chat/confirm',
    );
    expect(wrongCustomer.status).toBe(403);
    expect(agent.commandCalls(InvokeAgentCommand)).toHaveLength(0);
  });

  it('answers 404 for a conversation that does not exist, without running the agent', async () => {
    const h = handler();
    agent.resetHistory();
    const result = await send(
      h,
      { session_id: 's-no-such-conversation', confirmation_id: 'c-anything', decision: 'confirm' },
      await auth(),
      '/chat/confirm',
    );
    expect(result.status).toBe(404);
    expect(result.body.error_type).toBe('session_not_found');
    expect(agent.commandCalls(InvokeAgentCommand)).toHaveLength(0);
  });

  it.each([
    [
      'asks for a result instead of a confirmation',
      {
        ...returnControl,
        invocationInputs: [
          {
            apiInvocationInput: {
              ...returnControl.invocationInputs[0]?.apiInvocationInput,
              actionInvocationType: 'RESULT' as const,
            },
          },
        ],
      },
    ],
    ['has no invocation id', { ...returnControl, invocationId: undefined }],
  ])('answers 502 and stores nothing pending when the agent %s', async (_case, odd) => {
    const h = handler();
    const started = await send(h, { message: 'hi' }, await auth());
    const sessionId = String(started.body.session_id);
    script.push([chunk('Let me do that.'), { returnControl: odd as ReturnControlPayload }]);
    const result = await send(h, { message: 'Book 10 AM on the 2nd', session_id: sessionId }, await auth());
    expect(result.status).toBe(502);
    expect(result.body.error_type).toBe('unexpected_return_control');
    expect((await readSessionItem(sessionId))?.pending_confirmation).toBeUndefined();
  });

  it('drops a pending confirmation when the customer writes something else instead', async () => {
    const h = handler();
    const body = await pending(h);
    const moved = await send(h, { message: 'Actually, never mind', session_id: body.session_id }, await auth());
    expect(moved.body).toMatchObject({ type: 'reply' });
    const late = await send(
      h,
      { session_id: body.session_id, confirmation_id: body.confirmation.confirmation_id, decision: 'confirm' },
      await auth(),
      '/chat/confirm',
    );
    expect(late.status).toBe(404);
  });

  it.each([
    [{ session_id: 's-1', confirmation_id: 'c-1', decision: 'maybe' }, 'decision', /confirm, deny/],
    [{ session_id: 's-1', decision: 'confirm' }, 'confirmation_id', /required/],
  ])('answers 400 naming the field for %j', async (body, field, message) => {
    const result = await send(handler(), body, await auth(), '/chat/confirm');
    expect(result.status).toBe(400);
    expect(result.body.field).toBe(field);
    expect(result.body.error).toMatch(message);
  });
});

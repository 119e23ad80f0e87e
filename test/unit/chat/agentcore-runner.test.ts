/**
 * The chat side of the runtime contract when the runtime or AgentCore misbehave: what reaches the
 * customer, and whether the chat may ask the same question again (nothing ran) or must not (a
 * change may have been made). The transport is a stand-in that answers bytes; the happy paths run
 * against the real runtime server in test/integration/agentcore-*.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { AgentTurnError } from '../../../src/chat/agent-runner.js';
import { AgentCoreRunner, type RuntimeAnswer, type RuntimeTransport } from '../../../src/chat/agentcore-runner.js';
import { AppError } from '../../../src/domain/errors.js';
import { expiryFrom, type Session } from '../../../src/domain/session.js';
import { createLogger } from '../../../src/observability/logger.js';
import { rejection } from '../../helpers/errors.js';

const now = new Date();
const session: Session = {
  sessionId: 's-UnitTestSessionIdLongEnoughForAgentCore',
  customerId: '1645975',
  clientId: '09PF05VD',
  clientName: 'projectsforce-validation',
  authToken: 'unit-token',
  stage: 'test',
  createdAt: now.toISOString(),
  expiresAt: expiryFrom(now, 1800),
  scheduling: {},
};

async function* bytes(...pieces: (string | Error)[]): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) {
    if (piece instanceof Error) throw piece;
    yield new TextEncoder().encode(piece);
  }
}

const sse = (...pieces: (string | Error)[]): RuntimeAnswer => ({
  status: 200,
  contentType: 'text/event-stream; charset=utf-8',
  body: bytes(...pieces),
});

function runner(answer: () => Promise<RuntimeAnswer>) {
  const sent: unknown[] = [];
  const transport: RuntimeTransport = {
    invoke: async (_sessionId, request) => {
      sent.push(request);
      return answer();
    },
  };
  const logger = createLogger('agentcore-runner-test');
  logger.appendKeys({ correlation_id: 'agentcore-runner-test' });
  return { runner: new AgentCoreRunner({ transport, timeoutMs: 5000, logger }), sent };
}

describe('the AgentCore runner', () => {
  it('streams the words to the sink and answers with the final reply', async () => {
    const words: string[] = [];
    const { runner: r, sent } = runner(async () =>
      sse(
        'event: delta\ndata: {"text":"Hel"}\n\nevent: delta\ndata: {"te',
        'xt":"lo."}\n\n',
        'event: done\ndata: {"text":"Hello."}\n\n',
      ),
    );

    const reply = await r.send(session, 'Hi', { text: (t) => words.push(t) });

    expect(words).toEqual(['Hel', 'lo.']);
    expect(reply).toEqual({ text: 'Hello.' });
    expect(sent).toEqual([{ session_id: session.sessionId, message: 'Hi' }]);
  });

  it('sends an answer with the interrupts of the paused turn', async () => {
    const { runner: r, sent } = runner(async () => sse('event: done\ndata: {"text":"Booked."}\n\n'));

    await r.answer(
      session,
      { kind: 'interrupts', interrupts: [{ interruptId: 'i-1', tool: 'confirm_appointment', inputDigest: 'd-1' }] },
      'confirm',
      { text: () => undefined },
    );

    expect(sent).toEqual([
      {
        session_id: session.sessionId,
        answer: {
          decision: 'confirm',
          interrupts: [{ interrupt_id: 'i-1', tool: 'confirm_appointment', input_digest: 'd-1' }],
        },
      },
    ]);
  });

  it('refuses to answer a Classic returnControl, which the runtime cannot resume', async () => {
    const { runner: r, sent } = runner(async () => sse());

    const failed = await rejection(
      r.answer(session, { kind: 'returnControl', invocationId: 'inv', invocations: [] }, 'confirm', {
        text: () => undefined,
      }),
    );

    expect(failed).toMatchObject({ errorType: 'confirmation_not_found' });
    expect(sent).toEqual([]);
  });

  it.each([
    [
      'an error event of the agent (nothing ran)',
      sse(
        'event: error\ndata: {"status":429,"error":"Busy.","error_type":"agent_throttled","nothing_ran":true,"retry_after_seconds":7}\n\n',
      ),
      { failed: { errorType: 'agent_throttled', retryAfterSeconds: 7 }, nothingRan: true },
    ],
    [
      'an error event after a change may have run',
      sse('event: error\ndata: {"status":504,"error":"Slow.","error_type":"agent_timeout","nothing_ran":false}\n\n'),
      { failed: { errorType: 'agent_timeout' }, nothingRan: false },
    ],
    [
      'a stream that breaks midway',
      sse('event: delta\ndata: {"text":"Booking"}\n\n', new Error('socket hang up')),
      { failed: { errorType: 'agent_error' }, nothingRan: false },
    ],
    [
      'a stream that ends without its final event',
      sse('event: delta\ndata: {"text":"Booking"}\n\n'),
      { failed: { errorType: 'agent_error' }, nothingRan: false },
    ],
    [
      'a final event the contract does not allow',
      sse('event: done\ndata: {"reply":"?"}\n\n'),
      { failed: { errorType: 'agent_bad_gateway' }, nothingRan: false },
    ],
    [
      'an event that is not JSON',
      sse('event: delta\ndata: nope\n\n'),
      { failed: { errorType: 'agent_bad_gateway' }, nothingRan: false },
    ],
  ])('answers %s as the turn error it is', async (_, answer, expected) => {
    const { runner: r } = runner(async () => answer);

    const failed = await rejection(r.send(session, 'Book it', { text: () => undefined }));

    expect(failed).toBeInstanceOf(AgentTurnError);
    expect(failed).toMatchObject(expected);
  });

  it('passes a refusal of the request itself on as that error (the runtime ran nothing)', async () => {
    const { runner: r } = runner(async () =>
      sse('event: error\ndata: {"status":404,"error":"Not pending.","error_type":"confirmation_not_found"}\n\n'),
    );

    const failed = await rejection(r.send(session, 'Yes', { text: () => undefined }));

    expect(failed).toBeInstanceOf(AppError);
    expect(failed).toMatchObject({ errorType: 'confirmation_not_found', message: 'Not pending.' });
  });

  it.each([
    [
      'a JSON refusal from the runtime',
      {
        status: 404,
        contentType: 'application/json',
        body: bytes('{"error":"This conversation has ended.","error_type":"session_not_found"}'),
      },
      { failed: { errorType: 'session_not_found' }, nothingRan: true },
    ],
    [
      'an answer that is neither',
      { status: 502, contentType: 'text/html', body: bytes('<html>Bad Gateway</html>') },
      { failed: { errorType: 'agent_bad_gateway' }, nothingRan: true },
    ],
  ])('answers %s before any turn as a turn that never ran', async (_, answer, expected) => {
    const { runner: r } = runner(async () => answer);

    const failed = await rejection(r.send(session, 'Hi', { text: () => undefined }));

    expect(failed).toMatchObject(expected);
  });

  it.each([
    ['ThrottlingException', 'agent_throttled', true],
    ['AccessDeniedException', 'agent_access_denied', true],
    ['RetryableConflictException', 'agent_conflict', true],
    ['RuntimeClientError', 'agent_error', false],
    ['InternalServerException', 'agent_error', false],
  ])('maps %s from InvokeAgentRuntime to %s (nothing ran: %s)', async (name, errorType, nothingRan) => {
    const { runner: r } = runner(async () => {
      throw Object.assign(new Error('from AWS'), { name });
    });

    const failed = await rejection(r.send(session, 'Hi', { text: () => undefined }));

    expect(failed).toMatchObject({ failed: { errorType }, nothingRan });
  });
});

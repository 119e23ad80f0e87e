/**
 * The chat client the page and `npm run chat` share: every answer the chat API can give — a
 * stream, a JSON refusal, a stream that stops, no server — becomes events ending in one `done` or
 * one `error` with a sentence. The fetch here is a function returning Responses: no network.
 */
import { describe, expect, it } from 'vitest';
import {
  type ApiError,
  answerConfirmation,
  confirmationStillOpen,
  type SignedIn,
  sendMessage,
  signIn,
  type TurnEvent,
} from '../../../web/chat/client.js';

const auth: SignedIn = { token: 'jwt', pf360Token: 'pf360', customerId: '1645975', expiresInSeconds: 3600 };

interface Sent {
  url: string;
  init: RequestInit;
}

/** A connection whose fetch answers `respond()` and records what was sent. */
function connection(respond: () => Response | Promise<Response>) {
  const sent: Sent[] = [];
  return {
    sent,
    connection: {
      base: 'http://chat.test',
      fetch: (async (url: string, init: RequestInit) => {
        sent.push({ url, init });
        return respond();
      }) as unknown as typeof fetch,
    },
  };
}

const sse = (text: string) => new Response(text, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function collect(events: AsyncGenerator<TurnEvent>): Promise<TurnEvent[]> {
  const all: TurnEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('signIn', () => {
  it('posts the customer id to /dev/token and keeps the two tokens', async () => {
    // Prepare
    const c = connection(() => json(201, { token: 'jwt', pf360_token: 'pf360', customer_id: '42', expires_in: 3600 }));

    // Act
    const result = await signIn(c.connection, '42');

    // Assess
    expect(result).toEqual({
      ok: true,
      signedIn: { token: 'jwt', pf360Token: 'pf360', customerId: '42', expiresInSeconds: 3600 },
    });
    expect(c.sent.map((s) => [s.url, s.init.method, s.init.body])).toEqual([
      ['http://chat.test/dev/token', 'POST', '{"customer_id":"42"}'],
    ]);
  });

  it("answers the gateway's refusal as its sentence", async () => {
    const c = connection(() =>
      json(400, { error: 'customer_id must be a string matching …', error_type: 'validation_error' }),
    );
    expect(await signIn(c.connection, 'a b')).toEqual({
      ok: false,
      error: {
        status: 400,
        errorType: 'validation_error',
        message: 'customer_id must be a string matching …',
        beforeTurn: true,
      },
    });
  });

  it('says that the service cannot be reached when nothing answers', async () => {
    const c = connection(() => {
      throw new TypeError('fetch failed');
    });
    const result = await signIn(c.connection);
    expect(result).toMatchObject({ ok: false, error: { status: 0, errorType: 'unreachable' } });
    expect(c.sent[0]?.init.body).toBe('{}');
  });
});

describe('a streamed turn', () => {
  it('sends the message with both tokens and yields deltas, the confirmation and done', async () => {
    // Prepare
    const confirmation = {
      confirmation_id: 'c-1',
      operation: 'add_note',
      summary: 'Add a note.',
      details: { project_id: '12347' },
    };
    const done = { type: 'confirmation_required', session_id: 's-1', reply: 'Adding it.', confirmation };
    const c = connection(() =>
      sse(
        `event: delta\ndata: {"text":"Adding it."}\n\nevent: confirmation\ndata: ${JSON.stringify({ session_id: 's-1', confirmation })}\n\nevent: done\ndata: ${JSON.stringify(done)}\n\n`,
      ),
    );

    // Act
    const events = await collect(sendMessage(c.connection, auth, { message: 'Add a note', session_id: 's-1' }));

    // Assess
    expect(events).toEqual([
      { type: 'delta', text: 'Adding it.' },
      { type: 'confirmation', sessionId: 's-1', confirmation },
      { type: 'done', response: done },
    ]);
    expect(c.sent[0]?.url).toBe('http://chat.test/chat/stream');
    expect(c.sent[0]?.init.headers).toMatchObject({ authorization: 'Bearer jwt', 'x-pf360-token': 'pf360' });
    expect(JSON.parse(String(c.sent[0]?.init.body))).toEqual({ message: 'Add a note', session_id: 's-1' });
  });

  it('posts an answer to /chat/confirm/stream', async () => {
    const c = connection(() => sse('event: done\ndata: {"type":"reply","session_id":"s-1","reply":"Done."}\n\n'));
    const events = await collect(
      answerConfirmation(c.connection, auth, { session_id: 's-1', confirmation_id: 'c-1', decision: 'deny' }),
    );
    expect(events).toEqual([{ type: 'done', response: { type: 'reply', session_id: 's-1', reply: 'Done.' } }]);
    expect(c.sent[0]?.url).toBe('http://chat.test/chat/confirm/stream');
    expect(JSON.parse(String(c.sent[0]?.init.body))).toEqual({
      session_id: 's-1',
      confirmation_id: 'c-1',
      decision: 'deny',
    });
  });

  it('turns a JSON refusal before the turn into an error with its sentence and status', async () => {
    const c = connection(() =>
      json(503, {
        error: 'No assistant is configured: set AGENT_PROVIDER=openai …',
        error_type: 'agent_not_configured',
      }),
    );
    expect(await collect(sendMessage(c.connection, auth, { message: 'Hi' }))).toEqual([
      {
        type: 'error',
        error: {
          status: 503,
          errorType: 'agent_not_configured',
          message: 'No assistant is configured: set AGENT_PROVIDER=openai …',
          beforeTurn: true,
        },
      },
    ]);
  });

  it('ends with the error event of a turn that failed midway, after the words that came', async () => {
    const c = connection(() =>
      sse(
        'event: delta\ndata: {"text":"Let me check"}\n\nevent: error\ndata: {"status":504,"error":"The assistant took too long to answer; please try again.","error_type":"agent_timeout"}\n\n',
      ),
    );
    expect(await collect(sendMessage(c.connection, auth, { message: 'Hi' }))).toEqual([
      { type: 'delta', text: 'Let me check' },
      {
        type: 'error',
        error: {
          status: 504,
          errorType: 'agent_timeout',
          message: 'The assistant took too long to answer; please try again.',
          beforeTurn: false,
        },
      },
    ]);
  });

  it('says the answer was cut off when the stream ends without done or error', async () => {
    const c = connection(() => sse('event: delta\ndata: {"text":"Booking"}\n\nevent: done\ndata: {"ty'));
    const events = await collect(sendMessage(c.connection, auth, { message: 'Hi' }));
    expect(events.map((e) => e.type)).toEqual(['delta', 'error']);
    expect(events[1]).toMatchObject({ error: { errorType: 'cut_off', beforeTurn: false } });
  });

  it('says so when an error body has no sentence', async () => {
    const c = connection(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(await collect(sendMessage(c.connection, auth, { message: 'Hi' }))).toEqual([
      {
        type: 'error',
        error: {
          status: 502,
          errorType: 'unreadable',
          message: 'The chat service answered HTTP 502 without saying why; please try again.',
          beforeTurn: true,
        },
      },
    ]);
  });

  it('skips events it does not know', async () => {
    const c = connection(() =>
      sse('event: progress\ndata: {"step":1}\n\nevent: done\ndata: {"type":"reply","session_id":"s","reply":""}\n\n'),
    );
    expect((await collect(sendMessage(c.connection, auth, { message: 'Hi' }))).map((e) => e.type)).toEqual(['done']);
  });
});

describe('confirmationStillOpen', () => {
  const error = (errorType: string): ApiError => ({ status: 502, errorType, message: '', beforeTurn: false });

  it('keeps a confirmation open only when the API says the answer was turned down before it was acted on', () => {
    expect(
      ['agent_throttled', 'agent_access_denied', 'rate_limited', 'token_expired', 'unreachable'].map((t) =>
        confirmationStillOpen(error(t)),
      ),
    ).toEqual([true, true, true, true, true]);
    expect(
      ['agent_outcome_unknown', 'confirmation_not_found', 'session_not_found', 'forbidden', 'cut_off'].map((t) =>
        confirmationStillOpen(error(t)),
      ),
    ).toEqual([false, false, false, false, false]);
  });
});

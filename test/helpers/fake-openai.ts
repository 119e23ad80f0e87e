/**
 * A chat-completions server on 127.0.0.1 (a free port) for tests: it answers
 * `POST …/chat/completions` with the replies queued on it, in order, and records every request.
 *
 *   const fake = await startFakeOpenAi();
 *   fake.reply(replies.sseToolCalls([{ id: 'call_1', name: 'get_project', arguments: { projectId: 'P-1' } }]),
 *              replies.sseText(['All ', 'done.']));
 *   …  // point the client at fake.baseUrl
 *   fake.requests[1].body.messages    // what the client sent the second time
 *   fake.reset();                     // between tests
 *   await fake.close();
 *
 * Replies are plain data (`FakeReply`), built by hand or with `replies.*`: a streamed answer
 * (chunks written one by one; a Promise among them is awaited first, to hold the stream at that
 * point), a plain JSON answer, an HTTP error, raw bytes, or a hang. With no reply queued the
 * server answers `fallback` when one was given, else a 500 saying so.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a client sent: the fields tests look at, typed; anything else is there too. */
export interface ChatRequestBody {
  model?: string;
  stream?: boolean;
  messages: ChatMessage[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  [field: string]: unknown;
}

export interface ChatMessage {
  role: string;
  content?: unknown;
  tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: ChatRequestBody;
}

/** A step of a streamed reply: a chunk (written as `data: <json>`), raw text, or a Promise to await. */
export type SseStep = Record<string, unknown> | string | Promise<unknown>;

export type FakeReply =
  /** `data: [DONE]` ends the stream unless `done: false`; events end with `separator` (default a blank line). */
  | { kind: 'sse'; steps: SseStep[]; done?: boolean; separator?: string }
  | { kind: 'json'; body: unknown; status?: number }
  | { kind: 'http-error'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'raw'; body: string; status?: number; contentType?: string }
  /** Never answers (not even the headers) until the server closes. */
  | { kind: 'hang' }
  /** Sends the headers and `steps`, then stays silent until the server closes. */
  | { kind: 'stall'; steps: SseStep[] };

export interface FakeToolCall {
  /** Omit for a call without an id. */
  id?: string;
  name: string;
  /** An object is sent as its JSON string; a string as it is. */
  arguments: unknown;
}

export interface FakeOpenAi {
  /** e.g. `http://127.0.0.1:40123/v1` */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Queues replies, answered in order. */
  reply(...replies: FakeReply[]): void;
  /** Replies queued and not answered yet. */
  readonly pending: number;
  /** Forgets the queued replies and the recorded requests (between tests). */
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeOpenAi(options: { fallback?: FakeReply } = {}): Promise<FakeOpenAi> {
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    let text = '';
    for await (const piece of req) text += piece;
    const path = req.url ?? '';
    requests.push({ method: req.method ?? '', path, headers: req.headers, body: parseBody(text) });
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
      return sendJson(res, 404, { error: { message: `fake-openai: no route ${req.method} ${path}` } });
    }
    const next = queue.shift() ?? options.fallback;
    if (!next) return sendJson(res, 500, { error: { message: 'fake-openai: no reply queued' } });
    await answer(res, next);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    reply: (...replies) => {
      queue.push(...replies);
    },
    get pending() {
      return queue.length;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function parseBody(text: string): ChatRequestBody {
  try {
    return JSON.parse(text) as ChatRequestBody;
  } catch {
    return { messages: [], unparsed: text };
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function answer(res: ServerResponse, reply: FakeReply): Promise<void> {
  switch (reply.kind) {
    case 'json':
      return sendJson(res, reply.status ?? 200, reply.body);
    case 'http-error':
      return sendJson(res, reply.status, reply.body ?? { error: { message: `fake error ${reply.status}` } }, {
        ...reply.headers,
      });
    case 'raw':
      res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'text/event-stream' });
      res.end(reply.body);
      return;
    case 'hang':
      return;
    case 'stall':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      await writeSteps(res, reply.steps, '\n\n');
      return;
    case 'sse':
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      await writeSteps(res, reply.steps, reply.separator ?? '\n\n');
      if (reply.done !== false) res.write(`data: [DONE]${reply.separator ?? '\n\n'}`);
      res.end();
  }
}

async function writeSteps(res: ServerResponse, steps: SseStep[], separator: string): Promise<void> {
  for (const step of steps) {
    if (step instanceof Promise) await step;
    else res.write(typeof step === 'string' ? step : `data: ${JSON.stringify(step)}${separator}`);
  }
}

const chunkBase = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'fake-model' };
const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };

/** One streamed chunk with one choice. */
export function chunk(delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> {
  return { ...chunkBase, choices: [{ index: 0, delta, finish_reason: finishReason }] };
}

/** The usage chunk OpenAI sends last when asked for `stream_options.include_usage`. */
export const usageChunk: Record<string, unknown> = { ...chunkBase, choices: [], usage };

function argumentsText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A plain `chat.completion` body. */
export function completion(
  message: Record<string, unknown>,
  finishReason: string | null = 'stop',
): Record<string, unknown> {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason }],
    usage,
  };
}

export const replies = {
  /** Text streamed in the pieces given, then `stop` and usage, as OpenAI streams it. */
  sseText(pieces: string | string[], options: { done?: boolean } = {}): FakeReply {
    const parts = typeof pieces === 'string' ? [pieces] : pieces;
    return {
      kind: 'sse',
      steps: [
        chunk({ role: 'assistant', content: '' }),
        ...parts.map((content) => chunk({ content })),
        chunk({}, 'stop'),
        usageChunk,
      ],
      ...(options.done === undefined ? {} : { done: options.done }),
    };
  },

  /**
   * Tool calls streamed as OpenAI streams them: optional text first, then each call — its id and
   * name, then its arguments split in two chunks — one after another, then `tool_calls` and usage.
   */
  sseToolCalls(calls: FakeToolCall[], options: { text?: string } = {}): FakeReply {
    const steps: SseStep[] = [chunk({ role: 'assistant', content: options.text ?? null })];
    calls.forEach((call, index) => {
      const args = argumentsText(call.arguments);
      const half = Math.ceil(args.length / 2);
      steps.push(
        chunk({
          tool_calls: [
            {
              index,
              ...(call.id ? { id: call.id } : {}),
              type: 'function',
              function: { name: call.name, arguments: '' },
            },
          ],
        }),
        chunk({ tool_calls: [{ index, function: { arguments: args.slice(0, half) } }] }),
        chunk({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] }),
      );
    });
    steps.push(chunk({}, 'tool_calls'), usageChunk);
    return { kind: 'sse', steps };
  },

  /** A plain JSON answer with text. */
  jsonText(text: string): FakeReply {
    return { kind: 'json', body: completion({ content: text }) };
  },

  /** A plain JSON answer with tool calls; `content` is null unless text is given. */
  jsonToolCalls(calls: FakeToolCall[], options: { text?: string } = {}): FakeReply {
    const toolCalls = calls.map((call) => ({
      ...(call.id ? { id: call.id } : {}),
      type: 'function',
      function: { name: call.name, arguments: argumentsText(call.arguments) },
    }));
    return { kind: 'json', body: completion({ content: options.text ?? null, tool_calls: toolCalls }, 'tool_calls') };
  },

  /** An error status with an OpenAI-style error body. */
  httpError(status: number, options: { message?: string; headers?: Record<string, string> } = {}): FakeReply {
    return {
      kind: 'http-error',
      status,
      body: { error: { message: options.message ?? `fake error ${status}`, type: 'fake_error', code: null } },
      ...(options.headers ? { headers: options.headers } : {}),
    };
  },

  /** A 200 event stream whose event is not JSON. */
  garbage(body = 'data: {this is not json\n\n'): FakeReply {
    return { kind: 'raw', body };
  },

  hang(): FakeReply {
    return { kind: 'hang' };
  },
};

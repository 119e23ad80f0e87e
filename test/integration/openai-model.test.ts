/**
 * The OpenAI-compatible model driven by a real Strands Agent against a real HTTP server that
 * speaks chat completions (test/helpers/fake-openai.ts): streamed and plain JSON answers, the
 * quirks of servers other than OpenAI, what is sent, and how failures come out.
 */
import { Agent, type JSONSchema, tool } from '@strands-agents/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { modelError } from '../../src/agent/model-errors.js';
import { createOpenAiModel, type OpenAiModelOptions } from '../../src/agent/openai-model.js';
import { rejection } from '../helpers/errors.js';
import {
  type ChatMessage,
  chunk,
  completion,
  type FakeOpenAi,
  type FakeReply,
  type FakeToolCall,
  replies,
  startFakeOpenAi,
  usageChunk,
} from '../helpers/fake-openai.js';

const apiKey = 'sk-fake-openai-test-key';

const projectSchema: JSONSchema = {
  type: 'object',
  properties: { projectId: { type: 'string', pattern: '^P-\\d+$' }, detail: { type: 'integer', minimum: 1 } },
  required: ['projectId'],
  additionalProperties: false,
};

let fake: FakeOpenAi;
let toolInputs: unknown[];

beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  toolInputs = [];
});

function getProject() {
  return tool({
    name: 'get_project',
    description: 'Read a project by its id.',
    inputSchema: projectSchema,
    callback: (input) => {
      toolInputs.push(input);
      return { status: 'open', projectId: (input as { projectId?: string }).projectId ?? null };
    },
  });
}

function agent(options: Partial<OpenAiModelOptions> = {}): Agent {
  const model = createOpenAiModel({
    baseUrl: fake.baseUrl,
    modelId: 'fake-model',
    apiKey,
    timeoutMs: 5_000,
    maxRetries: 0,
    ...options,
  });
  // No retries of the agent's own either: every request the test sees is one the test queued.
  return new Agent({ model, tools: [getProject()], printer: false, retryStrategy: null });
}

function messagesSent(request: number): ChatMessage[] {
  const sent = fake.requests[request];
  if (!sent) throw new Error(`the server got no request #${request}`);
  return sent.body.messages;
}

function assistantSent(request: number): ChatMessage {
  const message = messagesSent(request).find((m) => m.role === 'assistant');
  if (!message) throw new Error(`request #${request} carried no assistant message`);
  return message;
}

const p1: FakeToolCall = { id: 'call_1', name: 'get_project', arguments: { projectId: 'P-1' } };
const p2: FakeToolCall = { id: 'call_2', name: 'get_project', arguments: { projectId: 'P-2', detail: 2 } };

const transports = {
  streamed: { text: replies.sseText, toolCalls: replies.sseToolCalls },
  'plain JSON': { text: replies.jsonText, toolCalls: replies.jsonToolCalls },
} satisfies Record<string, { text: (text: string) => FakeReply; toolCalls: typeof replies.sseToolCalls }>;

describe.each(Object.entries(transports))('%s answers', (_transport, reply) => {
  it('return the text', async () => {
    fake.reply(reply.text('Your appointment is on Monday.'));

    const result = await agent().invoke('When is my appointment?');

    expect(result.stopReason).toBe('endTurn');
    expect(result.toString()).toBe('Your appointment is on Monday.');
    expect(fake.requests).toHaveLength(1);
  });

  it('run a tool call, then send its result back with the call', async () => {
    // Prepare
    fake.reply(reply.toolCalls([p1]), reply.text('P-1 is open.'));

    // Act
    const result = await agent().invoke('Status of P-1?');

    // Assess
    expect(result.toString()).toBe('P-1 is open.');
    expect(toolInputs).toEqual([{ projectId: 'P-1' }]);
    expect(assistantSent(1).tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_project', arguments: '{"projectId":"P-1"}' } },
    ]);
    expect(messagesSent(1).filter((m) => m.role === 'tool')).toEqual([
      { role: 'tool', tool_call_id: 'call_1', content: '{"status":"open","projectId":"P-1"}' },
    ]);
  });

  it('run two tool calls of one message, and send both back', async () => {
    // Prepare
    fake.reply(reply.toolCalls([p1, p2]), reply.text('Both are open.'));

    // Act
    const result = await agent().invoke('Status of P-1 and P-2?');

    // Assess
    expect(result.toString()).toBe('Both are open.');
    expect(toolInputs).toEqual(expect.arrayContaining([{ projectId: 'P-1' }, { projectId: 'P-2', detail: 2 }]));
    expect(toolInputs).toHaveLength(2);
    expect(assistantSent(1).tool_calls?.map((c) => [c.id, c.function.arguments])).toEqual([
      ['call_1', '{"projectId":"P-1"}'],
      ['call_2', '{"projectId":"P-2","detail":2}'],
    ]);
    expect(
      messagesSent(1)
        .filter((m) => m.role === 'tool')
        .map((m) => m.tool_call_id),
    ).toEqual(['call_1', 'call_2']);
  });

  it('keep text that came before a tool call in the history', async () => {
    // Prepare
    fake.reply(reply.toolCalls([p1], { text: 'Let me check. ' }), reply.text('It is open.'));

    // Act
    const result = await agent().invoke('Status of P-1?');

    // Assess
    expect(result.toString()).toBe('It is open.');
    expect(toolInputs).toEqual([{ projectId: 'P-1' }]);
    expect(assistantSent(1)).toMatchObject({ content: 'Let me check.', tool_calls: [{ id: 'call_1' }] });
  });
});

describe('streaming', () => {
  it('hands on each text delta as it arrives, before the server has sent the rest', async () => {
    // Prepare: the server holds the stream after its first piece of text until the test has
    // seen that piece (or 3 s have passed, when the order below then fails the test).
    const order: string[] = [];
    let seen: () => void = () => undefined;
    const firstDeltaSeen = new Promise<void>((resolve) => {
      seen = resolve;
    });
    const held = Promise.race([firstDeltaSeen, new Promise((resolve) => setTimeout(resolve, 3_000))]).then(() => {
      order.push('server sends the rest');
    });
    fake.reply({
      kind: 'sse',
      steps: [chunk({ role: 'assistant', content: 'Hel' }), held, chunk({ content: 'lo.' }), chunk({}, 'stop')],
    });

    // Act
    const deltas: string[] = [];
    for await (const event of agent().stream('Hi')) {
      if (
        event.type === 'modelStreamUpdateEvent' &&
        event.event.type === 'modelContentBlockDeltaEvent' &&
        event.event.delta.type === 'textDelta'
      ) {
        if (deltas.length === 0) order.push('first delta seen');
        deltas.push(event.event.delta.text);
        seen();
      }
    }

    // Assess
    expect(order).toEqual(['first delta seen', 'server sends the rest']);
    expect(deltas).toEqual(['Hel', 'lo.']);
  });
});

describe('cancelling', () => {
  it('stops reading a stream when the invocation is cancelled, and returns cancelled', async () => {
    // Prepare
    fake.reply({ kind: 'stall', steps: [chunk({ role: 'assistant', content: 'Let me' })] });
    const started = Date.now();

    // Act
    const result = await agent({ timeoutMs: 10_000 }).invoke('Hi', { cancelSignal: AbortSignal.timeout(300) });

    // Assess
    expect(result.stopReason).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('the request', () => {
  it('carries the model id, stream: true, the settings, the tools with their schemas unchanged, and the key', async () => {
    // Prepare
    fake.reply(replies.sseText('Hello.'));

    // Act
    await agent({ modelId: 'llama3.1:8b', maxTokens: 321, temperature: 0.2 }).invoke('Hi');

    // Assess
    const [request] = fake.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(request?.body).toMatchObject({
      model: 'llama3.1:8b',
      stream: true,
      max_completion_tokens: 321,
      temperature: 0.2,
    });
    expect(request?.body.tools).toEqual([
      {
        type: 'function',
        function: { name: 'get_project', description: 'Read a project by its id.', parameters: projectSchema },
      },
    ]);
  });

  it("takes nothing from the openai client's environment variables: a placeholder key when none is given", async () => {
    // Prepare
    const environment = {
      OPENAI_API_KEY: 'sk-from-the-environment',
      OPENAI_ORG_ID: 'org-from-the-environment',
      OPENAI_PROJECT_ID: 'proj-from-the-environment',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    };
    const saved = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
    Object.assign(process.env, environment);
    fake.reply(replies.sseText('Hello.'));

    // Act
    try {
      await agent({ apiKey: undefined }).invoke('Hi');
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }

    // Assess
    const headers = fake.requests[0]?.headers;
    expect(headers?.authorization).toBe('Bearer not-needed');
    expect(headers).not.toHaveProperty('openai-organization');
    expect(headers).not.toHaveProperty('openai-project');
  });

  it('is retried as often as maxRetries says, and no more', async () => {
    fake.reply(replies.httpError(500), replies.sseText('Second time lucky.'));

    const result = await agent({ maxRetries: 1 }).invoke('Hi');

    expect(result.toString()).toBe('Second time lucky.');
    expect(fake.requests).toHaveLength(2);
  });
});

const a = (id: string | undefined, name: string | undefined, args: string, index?: number) => ({
  ...(index === undefined ? {} : { index }),
  ...(id === undefined ? {} : { id }),
  ...(name === undefined ? {} : { type: 'function' }),
  function: { ...(name === undefined ? {} : { name }), arguments: args },
});

/** Quirks seen in servers other than OpenAI; each answer asks for P-1 and P-2. */
const quirks: [string, FakeReply][] = [
  [
    'tool-call deltas without an index',
    {
      kind: 'sse',
      steps: [
        chunk({ role: 'assistant' }),
        chunk({ tool_calls: [a('call_1', 'get_project', '{"projectId":')] }),
        chunk({ tool_calls: [a(undefined, undefined, '"P-1"}')] }),
        chunk({ tool_calls: [a('call_2', 'get_project', '')] }),
        chunk({ tool_calls: [a(undefined, undefined, '{"projectId":"P-2"}')] }),
        chunk({}, 'tool_calls'),
      ],
    },
  ],
  [
    'tool calls without ids (and without an index)',
    {
      kind: 'sse',
      steps: [
        chunk({ role: 'assistant' }),
        chunk({ tool_calls: [a(undefined, 'get_project', '{"projectId":"P-1"}')] }),
        chunk({ tool_calls: [a(undefined, 'get_project', '{"projectId":')] }),
        chunk({ tool_calls: [a(undefined, undefined, '"P-2"}')] }),
        chunk({}, 'tool_calls'),
      ],
    },
  ],
  [
    'several calls sharing index 0, told apart by their ids',
    {
      kind: 'sse',
      steps: [
        chunk({ role: 'assistant' }),
        chunk({ tool_calls: [a('call_1', 'get_project', '{"projectId":"P-1"}', 0)] }),
        chunk({ tool_calls: [a('call_2', 'get_project', '{"projectId":', 0)] }),
        chunk({ tool_calls: [a(undefined, undefined, '"P-2"}', 0)] }),
        chunk({}, 'tool_calls'),
      ],
    },
  ],
  [
    'interleaved deltas of two calls',
    {
      kind: 'sse',
      steps: [
        chunk({ role: 'assistant' }),
        chunk({ tool_calls: [a('call_1', 'get_project', '', 0), a('call_2', 'get_project', '', 1)] }),
        chunk({
          tool_calls: [a(undefined, undefined, '{"projectId":', 1), a(undefined, undefined, '{"projectId":', 0)],
        }),
        chunk({ tool_calls: [a(undefined, undefined, '"P-1"}', 0)] }),
        chunk({ tool_calls: [a(undefined, undefined, '"P-2"}', 1)] }),
        chunk({}, 'tool_calls'),
      ],
    },
  ],
  [
    'all calls complete in one chunk, arguments as objects, finish_reason "stop", usage on the last chunk',
    {
      kind: 'sse',
      steps: [
        {
          ...chunk(
            {
              role: 'assistant',
              content: '',
              tool_calls: [
                { id: 'call_1', function: { name: 'get_project', arguments: { projectId: 'P-1' } } },
                { id: 'call_2', function: { name: 'get_project', arguments: { projectId: 'P-2' } } },
              ],
            },
            'stop',
          ),
          usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
        },
      ],
    },
  ],
  [
    'no role, no finish_reason and no [DONE]: the stream just ends',
    {
      kind: 'sse',
      done: false,
      steps: [
        chunk({ tool_calls: [a('call_1', 'get_project', '{"projectId":"P-1"}', 0)] }),
        chunk({ tool_calls: [a('call_2', 'get_project', '{"projectId":"P-2"}', 1)] }),
      ],
    },
  ],
  [
    'events separated by single newlines, CRLF line ends, comments, "data:" without a space, "error": null',
    {
      kind: 'sse',
      separator: '\r\n',
      steps: [
        ': keep-alive\r\n',
        { ...chunk({ role: 'assistant', content: null }), error: null },
        `data:${JSON.stringify(chunk({ tool_calls: [a('call_1', 'get_project', '{"projectId":"P-1"}', 0)] }))}\r\n`,
        chunk({ tool_calls: [a('call_2', 'get_project', '{"projectId":"P-2"}', 1)] }),
        chunk({}, 'tool_calls'),
        usageChunk,
      ],
    },
  ],
  [
    'a plain JSON answer with content null, calls without ids and arguments as objects',
    {
      kind: 'json',
      body: completion(
        {
          content: null,
          tool_calls: [
            { type: 'function', function: { name: 'get_project', arguments: { projectId: 'P-1' } } },
            { type: 'function', function: { name: 'get_project', arguments: { projectId: 'P-2' } } },
          ],
        },
        'stop',
      ),
    },
  ],
  [
    'a plain JSON answer whose calls all carry index 0 and one id',
    {
      kind: 'json',
      body: completion({
        content: '',
        tool_calls: [
          {
            index: 0,
            id: 'call_0',
            type: 'function',
            function: { name: 'get_project', arguments: '{"projectId":"P-1"}' },
          },
          {
            index: 0,
            id: 'call_0',
            type: 'function',
            function: { name: 'get_project', arguments: '{"projectId":"P-2"}' },
          },
        ],
      }),
    },
  ],
  [
    'newline-delimited JSON chunks instead of events',
    {
      kind: 'raw',
      contentType: 'application/x-ndjson',
      body: `${[
        chunk({ role: 'assistant' }),
        chunk({ tool_calls: [a('call_1', 'get_project', '{"projectId":"P-1"}', 0)] }),
        chunk({ tool_calls: [a('call_2', 'get_project', '{"projectId":"P-2"}', 1)] }),
        chunk({}, 'tool_calls'),
      ]
        .map((c) => JSON.stringify(c))
        .join('\n')}\n`,
    },
  ],
];

describe('quirks of other servers', () => {
  it.each(quirks)('%s', async (_quirk, toolCalls) => {
    // Prepare
    fake.reply(toolCalls, replies.sseText('Both are open.'));

    // Act
    const result = await agent().invoke('Status of P-1 and P-2?');

    // Assess: both ran, and the history pairs each call with its result by the same id.
    expect(result.toString()).toBe('Both are open.');
    expect(toolInputs).toEqual(expect.arrayContaining([{ projectId: 'P-1' }, { projectId: 'P-2' }]));
    expect(toolInputs).toHaveLength(2);
    const calls = assistantSent(1).tool_calls ?? [];
    expect(calls.map((c) => JSON.parse(c.function.arguments))).toEqual([{ projectId: 'P-1' }, { projectId: 'P-2' }]);
    const ids = calls.map((c) => c.id);
    expect(new Set(ids).size).toBe(2);
    expect(
      messagesSent(1)
        .filter((m) => m.role === 'tool')
        .map((m) => m.tool_call_id),
    ).toEqual(ids);
  });

  it('the legacy function_call of a plain JSON answer runs as a tool call', async () => {
    fake.reply(
      { kind: 'json', body: completion({ content: null, function_call: p1 }, 'function_call') },
      replies.sseText('Open.'),
    );

    const result = await agent().invoke('Status of P-1?');

    expect(result.toString()).toBe('Open.');
    expect(toolInputs).toEqual([{ projectId: 'P-1' }]);
  });

  it('text as content parts, and a role other than assistant, still make an answer', async () => {
    fake.reply({
      kind: 'json',
      body: completion({
        role: 'model',
        content: [
          { type: 'text', text: 'Hello ' },
          { type: 'text', text: 'there.' },
        ],
      }),
    });

    const result = await agent().invoke('Hi');

    expect(result.toString()).toBe('Hello there.');
    expect(result.lastMessage.role).toBe('assistant');
  });
});

/** What `agent.invoke` throws, mapped. */
async function failure(reply: FakeReply, options: Partial<OpenAiModelOptions> = {}) {
  fake.reply(reply);
  const error = await rejection(agent(options).invoke('Hi'));
  return { error, mapped: modelError(error) };
}

describe('failures come out of agent.invoke as errors that modelError maps', () => {
  it('429 with Retry-After: agent_throttled, waiting what the server said', async () => {
    const { mapped } = await failure(replies.httpError(429, { headers: { 'retry-after': '7' } }));

    expect(mapped).toMatchObject({ status: 429, errorType: 'agent_throttled', retryAfterSeconds: 7 });
    expect(fake.requests).toHaveLength(1);
  });

  it('429 without Retry-After: agent_throttled after 5 s', async () => {
    const { mapped } = await failure(replies.httpError(429));

    expect(mapped).toMatchObject({ status: 429, errorType: 'agent_throttled', retryAfterSeconds: 5 });
  });

  it('429 for an exhausted quota: agent_quota_exceeded', async () => {
    const { mapped } = await failure({
      kind: 'http-error',
      status: 429,
      body: {
        error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' },
      },
    });

    expect(mapped).toMatchObject({ status: 429, errorType: 'agent_quota_exceeded' });
  });

  it.each([
    ['500', 'agent_error', 502, replies.httpError(500)],
    ['401', 'agent_access_denied', 502, replies.httpError(401)],
    ['403', 'agent_access_denied', 502, replies.httpError(403)],
    ['an event that is not JSON', 'agent_error', 502, replies.garbage()],
    [
      'an HTML page with status 200',
      'agent_error',
      502,
      { kind: 'raw', contentType: 'text/html', body: '<html>hi</html>' },
    ],
    ['an empty 200', 'agent_error', 502, { kind: 'raw', body: '' }],
    ['a JSON body that is not an answer', 'agent_error', 502, { kind: 'json', body: { hello: 'world' } }],
    [
      'an error object with status 200',
      'agent_error',
      502,
      { kind: 'json', body: { error: { message: 'model not loaded' } } },
    ],
    [
      'a tool call without a name',
      'agent_error',
      502,
      {
        kind: 'sse',
        steps: [chunk({ role: 'assistant', tool_calls: [a('call_1', undefined, '{}', 0)] }), chunk({}, 'tool_calls')],
      },
    ],
    [
      'tool arguments that are not JSON',
      'agent_error',
      502,
      {
        kind: 'sse',
        steps: [chunk({ role: 'assistant', tool_calls: [a('call_1', 'get_project', '{"projectId":', 0)] })],
      },
    ],
  ] satisfies [string, string, number, FakeReply][])('%s → %s', async (_what, errorType, status, reply) => {
    const { mapped } = await failure(reply);

    expect(mapped).toMatchObject({ status, errorType });
    expect(mapped.message).not.toMatch(/fake|model not loaded|JSON|html/i);
  });

  it('no answer within timeoutMs: agent_timeout', async () => {
    const started = Date.now();

    const { mapped } = await failure(replies.hang(), { timeoutMs: 300 });

    expect(mapped).toMatchObject({ status: 504, errorType: 'agent_timeout' });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('a stream that goes silent for timeoutMs: agent_timeout', async () => {
    const { mapped } = await failure(
      { kind: 'stall', steps: [chunk({ role: 'assistant', content: 'Let me' })] },
      { timeoutMs: 300 },
    );

    expect(mapped).toMatchObject({ status: 504, errorType: 'agent_timeout' });
  });

  it('a server that is not there: agent_error', async () => {
    const gone = await startFakeOpenAi();
    await gone.close();

    const error = await rejection(agent({ baseUrl: gone.baseUrl }).invoke('Hi'));

    expect(modelError(error)).toMatchObject({ status: 502, errorType: 'agent_error' });
  });
});

/**
 * Section 3 of `npm run bench`: what the agent layer itself costs. A booking conversation runs
 * through the chat service and the code-defined agent (the Strands loop, our hook and tools, the
 * conversation snapshot) with a scripted model and every store in memory; the operations behind
 * the tools are the real handlers, and the time spent inside them is taken out (section 1
 * measures it). What is left is ours per turn: session, snapshot, tools' glue, the agent loop —
 * and the scripted model's own replay, which is counted in, so the figure is an upper bound.
 * Beside it, in the same run and interleaved, the baseline: the same conversation on a bare
 * Strands agent (the same instructions, tool specs, model turns and tool results, one agent kept
 * in memory, no session, no snapshot, no confirmation hook). The difference is what our layer
 * adds to the SDK's own loop.
 *
 * Then the first streamed word: a chat-completions server on loopback streams an answer, and a
 * client reads /chat/stream from the chat handler on a real HTTP server; the time from the
 * model's first token leaving its server to the first delta event reaching the client.
 */
// Replays the committed examples with their fixed dates: on their own calendar.
import '../lib/examples-clock.mjs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, FunctionTool, type JSONSchema, type JSONValue } from '@strands-agents/sdk';
import { assistantInstructions } from '../../generated/catalog/agent-instructions.js';
import { mcpTools } from '../../generated/catalog/mcp-tools.js';
import { createOpenAiModel } from '../../src/agent/openai-model.js';
import { CodeAgentRunner } from '../../src/agent/runner.js';
import { ScriptedModel, type ScriptedTurn } from '../../src/agent/scripted-model.js';
import { createTokenVerifier } from '../../src/chat/auth.js';
import { createChatHttpHandler } from '../../src/chat/http.js';
import { type ChatResponse, ChatService } from '../../src/chat/service.js';
import { createLogger } from '../../src/observability/logger.js';
import type { ToolInvoker } from '../../src/tools/invoke-tool.js';
import { InMemoryConversationStore } from '../../test/fakes/in-memory-conversation-store.js';
import { replies, startFakeOpenAi } from '../../test/helpers/fake-openai.js';
import { inMemoryActions } from '../../test/helpers/in-memory-actions.js';
import { type Summary, summarize } from '../lib/stats.js';
import { chatRoutes, localJwt, signLocalToken } from '../local/chat.js';
import { demoCustomer } from '../local/env.js';

export interface AgentBenchOptions {
  /** Measured conversations. */
  iterations: number;
  warmup: number;
  /** Streamed answers timed for the first word. */
  streams: number;
}

export interface TurnResult {
  turn: string;
  modelCalls: number;
  toolCalls: number;
  /**
   * µs per turn: everything, the operations alone, the rest (the agent layer), the bare SDK's
   * turn (baseline), and the agent layer less the baseline, pairwise (ours).
   */
  micros: { total: Summary; operations: Summary; layer: Summary; baseline: Summary; ours: Summary };
  /** The stored conversation after the turn. */
  snapshotBytes: number;
}

export interface AgentBenchResult {
  turns: TurnResult[];
  /** ms from the model's first token to the client's first delta event. */
  firstWordMs: Summary;
}

const who = { ...demoCustomer };
const booking = { project_id: '12350', date: '2026-12-02', time: '10:00 AM' };

/** One conversation, turn by turn: the customer's message (or answer) and the model's replies to it. */
const conversation: { turn: string; say: string | 'confirm'; model: ScriptedTurn[]; tools: number }[] = [
  {
    turn: 'a question answered with one read',
    say: 'What projects do I have?',
    model: [{ toolCalls: [{ name: 'list_projects', input: {} }] }, { text: 'You have three projects.' }],
    tools: 1,
  },
  {
    turn: 'dates and slots offered (two reads)',
    say: 'When can the roof be done?',
    model: [
      { toolCalls: [{ name: 'get_available_dates', input: { project_id: '12350' } }] },
      { toolCalls: [{ name: 'get_time_slots', input: { project_id: '12350', date: '2026-12-02' } }] },
      { text: 'Wednesday December 2 has 10:00 AM open.' },
    ],
    tools: 2,
  },
  {
    turn: 'a booking that stops for the yes',
    say: 'Book 10 AM please.',
    model: [{ text: 'Booking that for you.', toolCalls: [{ name: 'confirm_appointment', input: booking }] }],
    tools: 1,
  },
  {
    turn: 'the yes: the booking made, the reply',
    say: 'confirm',
    model: [{ text: 'Booked: Wednesday December 2 at 10:00 AM.' }],
    tools: 1,
  },
];

/** The tool results of one real conversation, by tool name: what the baseline's tools answer. */
type Recorded = Map<string, JSONValue>;

/**
 * The baseline: the same conversation on a bare agent. The write and its yes are one turn there
 * (nothing stops it), so the pair is compared with the pair: the model's two turns, one tool.
 */
async function bareConversation(recorded: Recorded): Promise<number[]> {
  const tools = mcpTools.map(
    ({ tool }) =>
      new FunctionTool({
        name: tool.name,
        description: tool.description,
        inputSchema: tool.inputSchema as JSONSchema,
        callback: () => recorded.get(tool.name) ?? null,
      }),
  );
  const agent = new Agent({
    model: new ScriptedModel(
      conversation.flatMap((step) => step.model),
      { record: false },
    ),
    tools,
    systemPrompt: `${assistantInstructions}\n# Today\n\nToday is Sunday, 2026-11-29, in the customer's time zone America/New_York.\n`,
    printer: false,
    retryStrategy: null,
    toolExecutor: 'sequential',
  });
  const times: number[] = [];
  for (const step of conversation) {
    const started = performance.now();
    if (step.say !== 'confirm') await agent.invoke(step.say);
    times.push(performance.now() - started);
  }
  // The write turn ran the booking and the model's reply to it: half to each of the pair.
  const pair = (times[2] ?? 0) / 2;
  times[2] = pair;
  times[3] = pair;
  return times;
}

export async function runAgentTurnBench(options: AgentBenchOptions): Promise<TurnResult[]> {
  const actions = inMemoryActions();
  const conversations = new InMemoryConversationStore();
  const logger = createLogger('pf360-bench-agent');
  logger.appendKeys({ correlation_id: 'bench' });
  let operationsMs = 0;
  const recorded: Recorded = new Map();
  const invoke: ToolInvoker = async (...args) => {
    const started = performance.now();
    try {
      const result = await actions.invoke(...args);
      if (!args[3]?.dryRun) recorded.set(args[0], result.body as JSONValue);
      return result;
    } finally {
      operationsMs += performance.now() - started;
    }
  };
  const samples = conversation.map(() => ({
    total: [] as number[],
    operations: [] as number[],
    layer: [] as number[],
    baseline: [] as number[],
    ours: [] as number[],
  }));
  const bytes = conversation.map(() => 0);

  /** One conversation through the chat service and our agent: per turn, its time and the operations' time. */
  const ourConversation = async () => {
    const model = new ScriptedModel(
      conversation.flatMap((step) => step.model),
      { record: false },
    );
    const runner = new CodeAgentRunner({
      model,
      invoke,
      conversations,
      timeoutMs: 30_000,
      defaultTimeZone: 'America/New_York',
      clock: () => new Date(),
      logger,
    });
    const service = new ChatService({
      stage: 'bench',
      sessions: actions.sessions,
      runner,
      clock: () => new Date(),
      logger,
    });
    const turns: { total: number; operations: number; snapshotBytes: number }[] = [];
    let last: ChatResponse | undefined;
    for (const step of conversation) {
      operationsMs = 0;
      const started = performance.now();
      if (step.say === 'confirm') {
        const confirmation = last?.confirmation;
        if (!last || !confirmation) throw new Error('the conversation did not stop for a confirmation');
        last = await service.answerConfirmation(who, undefined, {
          session_id: last.session_id,
          confirmation_id: confirmation.confirmation_id,
          decision: 'confirm',
        });
      } else {
        last = await service.sendMessage(who, 'bench-pf360-token', {
          message: step.say,
          ...(last ? { session_id: last.session_id } : {}),
        });
      }
      const total = performance.now() - started;
      const snapshotBytes = (await conversations.load(last.session_id))?.snapshot.length ?? 0;
      turns.push({ total, operations: operationsMs, snapshotBytes });
    }
    if (model.remaining !== 0 || last?.type !== 'reply') throw new Error('the scripted conversation did not finish');
    actions.sessions.delete(last.session_id);
    conversations.items.delete(last.session_id);
    actions.pf360Calls.length = 0;
    return turns;
  };

  for (let i = 0; i < options.warmup + options.iterations; i += 1) {
    // Alternating which arm goes first, so that neither always runs on a warmer heap.
    let ours: Awaited<ReturnType<typeof ourConversation>>;
    let bare: number[];
    if (i % 2 === 0) {
      ours = await ourConversation();
      bare = await bareConversation(recorded);
    } else {
      bare = await bareConversation(recorded);
      ours = await ourConversation();
    }
    if (i < options.warmup) continue;
    ours.forEach((turn, index) => {
      const own = samples[index];
      if (!own) return;
      const layer = turn.total - turn.operations;
      const baseline = bare[index] ?? 0;
      own.total.push(turn.total * 1000);
      own.operations.push(turn.operations * 1000);
      own.layer.push(layer * 1000);
      own.baseline.push(baseline * 1000);
      own.ours.push((layer - baseline) * 1000);
      bytes[index] = turn.snapshotBytes;
    });
  }
  return conversation.map((step, index) => {
    const own = samples[index] ?? { total: [], operations: [], layer: [], baseline: [], ours: [] };
    return {
      turn: step.turn,
      modelCalls: step.model.length,
      toolCalls: step.tools,
      micros: {
        total: summarize(own.total),
        operations: summarize(own.operations),
        layer: summarize(own.layer),
        baseline: summarize(own.baseline),
        ours: summarize(own.ours),
      },
      snapshotBytes: bytes[index] ?? 0,
    };
  });
}

/** Resolves when `check` holds, polling each millisecond. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 1));
}

export async function measureFirstWord(streams: number): Promise<Summary> {
  const fake = await startFakeOpenAi();
  const actions = inMemoryActions();
  const logger = createLogger('pf360-bench-stream');
  const runner = new CodeAgentRunner({
    model: createOpenAiModel({ baseUrl: fake.baseUrl, modelId: 'bench', timeoutMs: 10_000, maxRetries: 0 }),
    invoke: actions.invoke,
    conversations: new InMemoryConversationStore(),
    timeoutMs: 30_000,
    defaultTimeZone: 'America/New_York',
    clock: () => new Date(),
    logger,
  });
  const handler = createChatHttpHandler({
    service: new ChatService({ stage: 'bench', sessions: actions.sessions, runner, clock: () => new Date(), logger }),
    verifyToken: createTokenVerifier({
      hs256Secret: localJwt.JWT_HS256_SECRET,
      issuer: localJwt.JWT_ISSUER,
      audience: localJwt.JWT_AUDIENCE,
      clockToleranceSeconds: 30,
    }),
    rateLimiter: { hit: async () => ({ allowed: true, retryAfterSeconds: 0 }) },
    clock: () => new Date(),
    logger,
  });
  const routes = chatRoutes(handler);
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const piece of request) body += piece;
    const reply = await routes(request, body, response);
    if (reply && reply !== 'sent') {
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(JSON.stringify(reply.body));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat/stream`;
  const token = await signLocalToken(
    { sub: who.customerId, client_id: who.clientId, client_name: who.clientName },
    3600,
    localJwt,
  );
  const latencies: number[] = [];
  try {
    for (let i = 0; i < streams + 5; i += 1) {
      // The server holds its first token until `release`, so that its moment is known exactly.
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const answer = replies.sseText(['Hello', ' there, how can I help?']);
      if (answer.kind !== 'sse') throw new Error('sseText streams');
      answer.steps.splice(1, 0, gate);
      fake.reply(answer);
      const requests = fake.requests.length;
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'x-pf360-token': 'bench-pf360-token',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ message: 'Hi' }),
      });
      if (!response.body || response.status !== 200) throw new Error(`/chat/stream answered ${response.status}`);
      // The request reached the model server and it is waiting at the gate: send the first token.
      await until(() => fake.requests.length > requests);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const firstToken = performance.now();
      release();
      let firstWord: number | undefined;
      const decoder = new TextDecoder();
      let text = '';
      for await (const piece of response.body) {
        text += decoder.decode(piece, { stream: true });
        if (firstWord === undefined && text.includes('event: delta')) firstWord = performance.now();
      }
      if (firstWord === undefined || !text.includes('event: done')) throw new Error('no streamed answer');
      if (i >= 5) latencies.push(firstWord - firstToken);
      actions.sessions.delete(/"session_id":"([^"]+)"/.exec(text)?.[1] ?? '');
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await fake.close();
  }
  return summarize(latencies);
}

export async function runAgentBench(options: AgentBenchOptions): Promise<AgentBenchResult> {
  const turns = await runAgentTurnBench(options);
  const firstWordMs = await measureFirstWord(options.streams);
  return { turns, firstWordMs };
}

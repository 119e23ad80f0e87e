/**
 * The agent's runtime server over HTTP, as AgentCore Runtime and the local stack run it
 * (openapi/agentcore-runtime.yaml): GET /ping, and POST /invocations with AgentCore's session
 * header, answered as Server-Sent Events. The agent is the real one (Strands, the tools, the
 * action handlers against Prism and DynamoDB Local) with a scripted model; sessions are made the
 * way the chat backend makes them. The contract is tested here, not assumed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as validators from '../../generated/validators/agentcore-runtime.cjs';
import { ScriptedModel } from '../../src/agent/scripted-model.js';
import { readSse } from '../../src/edge/sse.js';
import { type RuntimeUnderTest, startRuntimeServer } from '../helpers/runtime-server.js';
import { createSession } from '../helpers/sessions.js';
import { pf360Paths, type UpstreamProxy } from '../helpers/upstream-proxy.js';

const model = new ScriptedModel([]);
let runtime: RuntimeUnderTest;
let pf360: UpstreamProxy;
let base = '';

beforeAll(async () => {
  runtime = await startRuntimeServer(model);
  ({ pf360, url: base } = runtime);
});
afterAll(() => runtime.close());
beforeEach(() => pf360.reset());

const sessionHeader = 'X-Amzn-Bedrock-AgentCore-Runtime-Session-Id';

/** One invocation as AgentCore forwards it; the events, or the JSON answer when it refused. */
async function invoke(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!response.headers.get('content-type')?.startsWith('text/event-stream') || !response.body) {
    return { status: response.status, json: (await response.json()) as Record<string, unknown>, events: [] };
  }
  const events: { event: string; data: Record<string, unknown> }[] = [];
  for await (const { event, data } of readSse(response.body)) events.push({ event, data: JSON.parse(data) });
  return { status: response.status, json: undefined, events };
}

const turn = (sessionId: string, message: string) =>
  invoke({ session_id: sessionId, message }, { [sessionHeader]: sessionId });

describe('GET /ping', () => {
  it('answers Healthy with an integer time of last update, as AgentCore requires', async () => {
    const response = await fetch(`${base}/ping`);
    const body = (await response.json()) as { status: string; time_of_last_update: number };

    expect(response.status).toBe(200);
    expect(body.status).toBe('Healthy');
    expect(Number.isInteger(body.time_of_last_update)).toBe(true);
    expect(Math.abs(body.time_of_last_update - Date.now() / 1000)).toBeLessThan(3600);
  });

  it('answers HealthyBusy while a turn runs', async () => {
    const session = await createSession();
    model.push({ text: ['One', ' moment.'], pauseMs: 300 });
    const running = turn(session.sessionId, 'Hello');
    await new Promise((resolve) => setTimeout(resolve, 150));

    const during = (await (await fetch(`${base}/ping`)).json()) as { status: string };
    await running;
    const after = (await (await fetch(`${base}/ping`)).json()) as { status: string };

    expect(during.status).toBe('HealthyBusy');
    expect(after.status).toBe('Healthy');
  });
});

describe('POST /invocations', () => {
  it('streams the words, then the reply, for a message in a live session', async () => {
    const session = await createSession();
    model.push({ toolCalls: [{ name: 'list_projects', input: {} }] }, { text: ['You have ', 'three projects.'] });

    const { status, events } = await turn(session.sessionId, 'Which projects do I have?');

    expect(status).toBe(200);
    expect(events.map((e) => e.event)).toEqual(['delta', 'delta', 'done']);
    expect(events.at(-1)?.data).toEqual({ text: 'You have three projects.' });
    expect(validators.Reply(events.at(-1)?.data)).toBe(true);
    expect(pf360.matching('GET', pf360Paths.dashboard)).toHaveLength(1);
  });

  it('stops at a write with the change and its interrupts, and makes it only on the answer that confirms it', async () => {
    const session = await createSession();
    model.push(
      { toolCalls: [{ name: 'list_projects', input: {} }] },
      { toolCalls: [{ name: 'get_available_dates', input: { project_id: '12350' } }] },
      { toolCalls: [{ name: 'get_time_slots', input: { project_id: '12350', date: '2026-12-02' } }] },
      {
        text: 'Booking Wednesday at 10:00 AM.',
        toolCalls: [
          { name: 'confirm_appointment', input: { project_id: '12350', date: '2026-12-02', time: '10:00 AM' } },
        ],
      },
      { text: 'You are booked.' },
    );

    const asked = await turn(session.sessionId, 'Book the roof for Wednesday at 10');
    const done = asked.events.at(-1)?.data as { confirmation: { changes: unknown[]; interrupts: unknown[] } };
    const beforeYes = pf360.matching('POST', pf360Paths.schedule).length;
    const answered = await invoke(
      { session_id: session.sessionId, answer: { decision: 'confirm', interrupts: done.confirmation.interrupts } },
      { [sessionHeader]: session.sessionId },
    );

    expect(asked.events.at(-1)?.event).toBe('done');
    expect(done.confirmation.changes).toEqual([
      { operation: 'confirm_appointment', values: { project_id: '12350', date: '2026-12-02', time: '10:00 AM' } },
    ]);
    expect(beforeYes).toBe(0);
    expect(answered.events.at(-1)).toEqual({ event: 'done', data: { text: 'You are booked.' } });
    expect(pf360.matching('POST', pf360Paths.schedule)).toHaveLength(1);
  });

  it('refuses an answer to a turn the conversation is not paused at, with nothing run', async () => {
    const session = await createSession();

    const { events } = await invoke(
      {
        session_id: session.sessionId,
        answer: {
          decision: 'confirm',
          interrupts: [{ interrupt_id: 'forged', tool: 'cancel_appointment', input_digest: 'x' }],
        },
      },
      { [sessionHeader]: session.sessionId },
    );

    expect(events).toEqual([
      { event: 'error', data: expect.objectContaining({ status: 404, error_type: 'confirmation_not_found' }) },
    ]);
    expect(pf360.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('reports a model failure as an error event saying nothing ran', async () => {
    const session = await createSession();
    model.push({ error: { name: 'ThrottlingException', message: 'slow down', status: 429 } });

    const { status, events } = await turn(session.sessionId, 'Hello');

    expect(status).toBe(200);
    expect(events).toEqual([
      {
        event: 'error',
        data: expect.objectContaining({ status: 429, error_type: 'agent_throttled', nothing_ran: true }),
      },
    ]);
    expect(validators.TurnError(events[0]?.data)).toBe(true);
  });

  it.each([
    ['an unknown session', () => 's-NotASessionOfOursButLongEnough000000', 404, 'session_not_found'],
    [
      'an expired session',
      async () => (await createSession({}, new Date(Date.now() - 2 * 3600_000))).sessionId,
      404,
      'session_not_found',
    ],
  ])('refuses %s before the agent runs', async (_, id, status, errorType) => {
    const sessionId = await id();
    const calls = model.calls.length;

    const answer = await turn(sessionId, 'Which projects do I have?');

    expect(answer).toMatchObject({ status, json: { error_type: errorType } });
    expect(model.calls.length).toBe(calls);
  });

  it('never takes the session from anywhere but the header it must match', async () => {
    const mine = await createSession();
    const theirs = await createSession({ customerId: '9999999' });

    const mismatched = await invoke(
      { session_id: theirs.sessionId, message: 'Which projects do I have?' },
      { [sessionHeader]: mine.sessionId },
    );
    const missing = await invoke({ session_id: mine.sessionId, message: 'Hi' });
    const smuggled = await invoke(
      { session_id: mine.sessionId, message: 'Hi', customer_id: '9999999' },
      { [sessionHeader]: mine.sessionId },
    );

    expect(mismatched).toMatchObject({ status: 400, json: { error_type: 'validation_error', field: sessionHeader } });
    expect(missing).toMatchObject({ status: 400, json: { error_type: 'validation_error' } });
    expect(smuggled).toMatchObject({ status: 400, json: { error_type: 'validation_error' } });
  });

  it.each([
    ['not JSON', 'not json', 400, 'validation_error'],
    [
      'neither a message nor an answer',
      { session_id: 's-AbcdefghijklmnopqrstuvwxyzABCDEFGH' },
      400,
      'validation_error',
    ],
    [
      'both',
      {
        session_id: 's-AbcdefghijklmnopqrstuvwxyzABCDEFGH',
        message: 'x',
        answer: { decision: 'confirm', interrupts: [] },
      },
      400,
      'validation_error',
    ],
    [
      'a body larger than any turn',
      { session_id: 's-AbcdefghijklmnopqrstuvwxyzABCDEFGH', message: 'x'.repeat(70_000) },
      413,
      'too_large',
    ],
  ])('refuses %s', async (_, body, status, errorType) => {
    const answer = await invoke(body, { [sessionHeader]: 's-AbcdefghijklmnopqrstuvwxyzABCDEFGH' });

    expect(answer).toMatchObject({ status, json: { error_type: errorType } });
  });

  it('serves only its two routes', async () => {
    const get = await fetch(`${base}/invocations`);
    const other = await fetch(`${base}/chat`, { method: 'POST' });

    expect(get.status).toBe(405);
    expect(other.status).toBe(404);
  });
});

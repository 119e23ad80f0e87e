/**
 * The streamed chat API (POST /chat/stream, /chat/confirm/stream) on the local gateway, read as
 * a browser would: Server-Sent Events over one HTTP response, the words arriving as they are
 * generated, a confirmation event for a write, one final event.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatRoutes, localChatHandler } from '../../scripts/local/chat.js';
import { createGateway } from '../../scripts/local/gateway.js';
import { ScriptedModel, type ScriptedTurn } from '../../src/agent/scripted-model.js';
import { actionEnv, factories, testHttpEnv } from '../helpers/actions.js';
import { chatEnv, token } from '../helpers/chat.js';
import { sensitive } from '../helpers/sensitive.js';
import { sessionStore } from '../helpers/sessions.js';

const model = new ScriptedModel([]);
const gateway = createGateway({
  actions: {
    scheduling: factories.scheduling(actionEnv()),
    information: factories.information(actionEnv()),
    notes: factories.notes(actionEnv()),
  },
  sessions: sessionStore(),
  stage: 'test',
  routes: chatRoutes(
    localChatHandler(
      chatEnv({
        AGENT_ID: '',
        AGENT_ALIAS_ID: '',
        AGENT_PROVIDER: 'openai',
        OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
        AGENT_MODEL_ID: 'scripted',
        ...testHttpEnv,
      }),
      model,
    ),
  ),
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => gateway.close(() => resolve())));

interface Received {
  event: string;
  data: Record<string, unknown>;
  /** ms after the request was sent */
  at: number;
}

/** Posts and reads the answer's events as they arrive. */
async function stream(path: string, body: object, headers: Record<string, string>) {
  const sent = performance.now();
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const events: Received[] = [];
  if (!response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
    return { response, events, json: (await response.json()) as Record<string, unknown> };
  }
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? '{}');
      events.push({ event, data, at: performance.now() - sent });
    }
  }
  return { response, events, json: undefined as Record<string, unknown> | undefined };
}

async function signedIn() {
  return { authorization: `Bearer ${await token()}`, 'x-pf360-token': sensitive.e2eToken };
}

function script(...turns: ScriptedTurn[]) {
  model.push(...turns);
}

describe('POST /chat/stream', () => {
  it('sends the words as they are generated, then the whole reply', async () => {
    // Prepare
    script({ text: ['Hello ', 'Maria, ', 'how can I help?'], pauseMs: 150 });

    // Act
    const { response, events } = await stream('/chat/stream', { message: 'Hi' }, await signedIn());

    // Assess
    expect(response.status).toBe(200);
    expect(events.map((e) => e.event)).toEqual(['delta', 'delta', 'delta', 'done']);
    expect(events.slice(0, 3).map((e) => e.data.text)).toEqual(['Hello ', 'Maria, ', 'how can I help?']);
    expect(events[3]?.data).toMatchObject({ type: 'reply', reply: 'Hello Maria, how can I help?' });
    // The first words were on the page while the model was still writing the rest.
    expect((events[2]?.at ?? 0) - (events[0]?.at ?? 0)).toBeGreaterThanOrEqual(250);
  });

  it('announces a change waiting for the yes, then the reply; the streamed confirm finishes the turn', async () => {
    // Prepare
    script(
      { toolCalls: [{ name: 'list_projects', input: {} }] },
      {
        text: 'Adding it.',
        toolCalls: [{ name: 'add_note', input: { project_id: '12347', note_text: sensitive.gateNote } }],
      },
      { text: ['The note ', 'is saved.'] },
    );
    const headers = await signedIn();

    // Act
    const asked = await stream('/chat/stream', { message: 'Add a note: gate code' }, headers);
    const confirmation = asked.events.find((e) => e.event === 'confirmation')?.data as {
      session_id: string;
      confirmation: { confirmation_id: string; operation: string };
    };
    const answered = await stream(
      '/chat/confirm/stream',
      {
        session_id: confirmation.session_id,
        confirmation_id: confirmation.confirmation.confirmation_id,
        decision: 'confirm',
      },
      headers,
    );

    // Assess
    expect(asked.events.map((e) => e.event)).toEqual(['delta', 'confirmation', 'done']);
    expect(confirmation.confirmation.operation).toBe('add_note');
    expect(asked.events.at(-1)?.data).toMatchObject({ type: 'confirmation_required', reply: 'Adding it.' });
    expect(answered.events.map((e) => [e.event, e.data.text ?? e.data.reply])).toEqual([
      ['delta', 'The note '],
      ['delta', 'is saved.'],
      ['done', 'The note is saved.'],
    ]);
  });

  it('answers what it refuses before the stream opens as plain JSON with its status', async () => {
    // Act
    const anonymous = await stream('/chat/stream', { message: 'Hi' }, {});
    const empty = await stream('/chat/stream', { message: '' }, await signedIn());

    // Assess
    expect([anonymous.response.status, anonymous.json?.error_type]).toEqual([401, 'unauthorized']);
    expect([empty.response.status, empty.json?.field]).toEqual([400, 'message']);
  });

  it('ends with an error event carrying the usual body when the model fails mid-turn', async () => {
    // Prepare
    script({ error: { name: 'InternalServerException', message: 'model exploded', status: 500 } });

    // Act
    const { response, events } = await stream('/chat/stream', { message: 'Hi' }, await signedIn());

    // Assess
    expect(response.status).toBe(200);
    expect(events).toEqual([
      {
        event: 'error',
        data: { status: 502, error: expect.any(String), error_type: 'agent_error' },
        at: expect.any(Number),
      },
    ]);
    expect(JSON.stringify(events)).not.toContain('exploded');
  });
});

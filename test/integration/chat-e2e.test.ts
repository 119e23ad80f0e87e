/**
 * The whole chain with only the model replaced: chat API → (scripted) agent → our real action
 * handlers on genuine Bedrock events → PF360 (Prism, behind a recording proxy) → DynamoDB Local,
 * including the confirmation round trip for a booking and a note.
 */
import { BedrockAgentRuntimeClient, InvokeAgentCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatHandler } from '../../src/chat/wiring.js';
import { actionEnv, factories } from '../helpers/actions.js';
import { chatEnv, completion, httpEvent, token } from '../helpers/chat.js';
import { type Step, scriptedAgent } from '../helpers/scripted-agent.js';
import { sensitive } from '../helpers/sensitive.js';
import { readSessionItem, sessionStore } from '../helpers/sessions.js';
import { pf360Paths, startUpstreamProxy, type UpstreamProxy } from '../helpers/upstream-proxy.js';

let pf360: UpstreamProxy;
beforeAll(async () => {
  pf360 = await startUpstreamProxy(process.env.PF360_BASE_URL ?? '');
});
afterAll(() => pf360.close());

describe('a booking conversation end to end', () => {
  it('lists, offers dates and slots, books after the customer confirms, and reports the booking', async () => {
    const env = actionEnv({ PF360_BASE_URL: pf360.url, ENABLE_REAL_CONFIRM: 'true' });
    const handlers = {
      scheduling: factories.scheduling(env),
      information: factories.information(env),
      notes: factories.notes(env),
    };
    const agent = scriptedAgent(handlers, (text): Step => {
      if (/projects/i.test(text)) {
        return {
          read: { group: 'scheduling', operationId: 'list_projects', values: {} },
          say: (b) =>
            `You have ${b.total} projects: ${(b.projects as { category: string }[]).map((p) => p.category).join(', ')}.`,
        };
      }
      if (/when/i.test(text)) {
        return {
          read: { group: 'scheduling', operationId: 'get_available_dates', values: { project_id: '12350' } },
          say: (b) =>
            `Open dates: ${(b.dates as { date: string; weather_risk?: string }[]).map((d) => `${d.date} (${d.weather_risk})`).join(', ')}`,
        };
      }
      const times = /times on (\d{4}-\d{2}-\d{2})/.exec(text);
      if (times) {
        return {
          read: {
            group: 'scheduling',
            operationId: 'get_time_slots',
            values: { project_id: '12350', date: times[1] ?? '' },
          },
          say: (b) => `Open times: ${(b.slots as string[]).join(', ')}`,
        };
      }
      const book = /book (\d\d:\d\d [AP]M) on (\d{4}-\d{2}-\d{2})/.exec(text);
      if (book) {
        return {
          write: {
            group: 'scheduling',
            operationId: 'confirm_appointment',
            values: { project_id: '12350', date: book[2] ?? '', time: book[1] ?? '' },
          },
          ask: `Shall I book ${book[2]} at ${book[1]}?`,
        };
      }
      const note = /note: (.+)/.exec(text);
      if (note) {
        return {
          write: { group: 'notes', operationId: 'add_note', values: { project_id: '12350', note_text: note[1] ?? '' } },
          ask: 'Shall I add that note?',
        };
      }
      return {
        read: { group: 'information', operationId: 'get_appointment_status', values: { project_id: '12350' } },
        say: (b) => `Status: ${b.status} on ${b.scheduled_date} at ${b.scheduled_time} (${b.source}).`,
      };
    });

    const client = new BedrockAgentRuntimeClient({ region: 'us-east-1' });
    mockClient(client)
      .on(InvokeAgentCommand)
      .callsFake(async (input) => ({ completion: completion(await agent.respond(input)) }));
    const chat = createChatHandler(chatEnv(), { agentClient: client });
    const headers = { authorization: `Bearer ${await token()}`, 'x-pf360-token': sensitive.e2eToken };
    const post = async (path: string, body: object) => {
      const result = await chat(httpEvent(path, body, headers));
      expect(result.statusCode, result.body).toBe(200);
      return JSON.parse(result.body ?? '{}');
    };

    const first = await post('/chat', { message: 'Which projects do I have?' });
    const sessionId = first.session_id;
    expect(first.reply).toBe('You have 4 projects: Flooring, Kitchen Cabinets, Roofing, Deck Repair.');

    const dates = await post('/chat', { session_id: sessionId, message: 'When can you do the roof?' });
    expect(dates.reply).toContain('2026-12-01 (high)');
    const times = await post('/chat', { session_id: sessionId, message: 'What times on 2026-12-02?' });
    expect(times.reply).toContain('10:00 AM');

    const asked = await post('/chat', { session_id: sessionId, message: 'Please book 10:00 AM on 2026-12-02' });
    expect(asked.type).toBe('confirmation_required');
    expect(asked.confirmation.summary).toBe(
      'Book project ORD-2026-003 (Roofing) on Wednesday, December 2, 2026 at 10:00 AM.',
    );
    expect(pf360.matching('POST', pf360Paths.schedule)).toHaveLength(0); // nothing booked before the yes

    const booked = await post('/chat/confirm', {
      session_id: sessionId,
      confirmation_id: asked.confirmation.confirmation_id,
      decision: 'confirm',
    });
    expect(booked.reply).toMatch(/^Tentatively scheduled to 2026-12-02 at 10:00 AM/);
    const writes = pf360.matching('POST', pf360Paths.schedule);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.headers.authorization).toBe(sensitive.e2eToken);
    expect(JSON.parse(writes[0]?.body ?? '{}')).toMatchObject({
      date: '2026-12-02',
      time: '10:00 AM',
      is_chatbot: 'true',
    });

    const status = await post('/chat', { session_id: sessionId, message: 'Is it booked?' });
    expect(status.reply).toBe('Status: Scheduled on 2026-12-02 at 10:00 AM (conversation).');

    const noteAsked = await post('/chat', {
      session_id: sessionId,
      message: 'Add a note: The ladder can go by the garage.',
    });
    expect(noteAsked.confirmation.summary).toBe(
      'Add this note to project ORD-2026-003 (Roofing): "The ladder can go by the garage."',
    );
    const denied = await post('/chat/confirm', {
      session_id: sessionId,
      confirmation_id: noteAsked.confirmation.confirmation_id,
      decision: 'deny',
    });
    expect(denied.reply).toBe('All right, I left it as it was.');
    expect(pf360.matching('POST', pf360Paths.addNote)).toHaveLength(0);

    // Every action ran in our session, with identity from the chat backend, never the model.
    expect(new Set(agent.invoked.map((i) => i.sessionId))).toEqual(new Set([sessionId]));
    expect(new Set(agent.invoked.map((i) => i.sessionAttributes.customer_id))).toEqual(new Set(['1645975']));
    const item = await readSessionItem(sessionId);
    const stored = (item?.scheduling ?? {}) as Record<string, { booking?: { date: string } }>;
    expect(stored['12350']?.booking?.date).toBe('2026-12-02');
    // The answered confirmation is no longer pending: the item keeps it only with its taken mark
    // (the turn after the answer changed nothing else, so it wrote nothing).
    expect(item?.pending_confirmation).toHaveProperty('taken_by');
    expect((await sessionStore().get(sessionId))?.pendingConfirmation).toBeUndefined();
  });
});

/** Session I/O per chat turn (design §7: one read and one write where one will do). */
import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type ResponseStream,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadChatConfig } from '../../../src/chat/config.js';
import { ChatService } from '../../../src/chat/service.js';
import { createLogger } from '../../../src/observability/logger.js';
import { InMemorySessionStore } from '../../fakes/in-memory-session-store.js';
import { chatEnv, chunk, completion } from '../../helpers/chat.js';

const agent = mockClient(BedrockAgentRuntimeClient);
afterEach(() => agent.reset());

const who = { customerId: '1645975', clientId: '09PF05VD', clientName: 'projectsforce-validation' };
const confirmRequest: ResponseStream = {
  returnControl: {
    invocationId: 'inv-1',
    invocationInputs: [
      {
        apiInvocationInput: {
          actionGroup: 'notes',
          apiPath: '/add-note',
          httpMethod: 'POST',
          actionInvocationType: 'USER_CONFIRMATION',
          parameters: [],
          requestBody: {
            content: {
              'application/json': {
                properties: [
                  { name: 'project_id', type: 'string', value: '12345' },
                  { name: 'note_text', type: 'string', value: 'Gate code 1234' },
                ],
              },
            },
          },
        },
      },
    ],
  },
};

function service(sessions: InMemorySessionStore) {
  const config = loadChatConfig(chatEnv());
  if (!config.agent) throw new Error('chatEnv configures an agent');
  return new ChatService({
    config: { ...config, agent: config.agent },
    sessions,
    agent: new BedrockAgentRuntimeClient({ region: 'us-east-1' }),
    clock: () => new Date(),
    logger: createLogger('chat-service-test'),
  });
}

const answer = (...events: ResponseStream[]) =>
  agent.on(InvokeAgentCommand).callsFake(async () => ({ completion: completion(events) }));

describe('session I/O per chat turn', () => {
  it('a new conversation: one write (the create) when nothing is left pending', async () => {
    const sessions = new InMemorySessionStore();
    answer(chunk('You have three projects.'));
    const reply = await service(sessions).sendMessage(who, 'pf360-token', { message: 'What do I have?' });
    expect(reply.type).toBe('reply');
    expect({ reads: sessions.reads, writes: sessions.writes }).toEqual({ reads: 0, writes: 1 });
  });

  it('a later message: one read and one write, which slides the expiry and clears a stale confirmation', async () => {
    const sessions = new InMemorySessionStore();
    answer(chunk('Shall I add that note?'), confirmRequest);
    const first = await service(sessions).sendMessage(who, 'pf360-token', { message: 'Add a note' });
    expect(first.type).toBe('confirmation_required');
    const before = { reads: sessions.reads, writes: sessions.writes };

    answer(chunk('Never mind then.'));
    await service(sessions).sendMessage(who, undefined, { message: 'Actually, no', session_id: first.session_id });
    expect({ reads: sessions.reads - before.reads, writes: sessions.writes - before.writes }).toEqual({
      reads: 1,
      writes: 1,
    });
    expect(sessions.sessions.get(first.session_id)?.pendingConfirmation).toBeUndefined();
  });

  it('answering a confirmation: one read and the single write that takes it', async () => {
    const sessions = new InMemorySessionStore();
    answer(chunk('Shall I add that note?'), confirmRequest);
    const first = await service(sessions).sendMessage(who, 'pf360-token', { message: 'Add a note' });
    expect(first.type).toBe('confirmation_required');
    const before = { reads: sessions.reads, writes: sessions.writes };

    answer(chunk('Done, the note is on the project.'));
    const reply = await service(sessions).answerConfirmation(who, {
      session_id: first.session_id,
      confirmation_id: first.confirmation?.confirmation_id ?? '',
      decision: 'confirm',
    });
    expect(reply).toMatchObject({ type: 'reply', reply: 'Done, the note is on the project.' });
    expect({ reads: sessions.reads - before.reads, writes: sessions.writes - before.writes }).toEqual({
      reads: 1,
      writes: 1,
    });
  });
});

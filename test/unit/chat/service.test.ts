/** Session I/O per chat turn: one read and one write where one will do. */
import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type ResponseStream,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ClassicAgentRunner } from '../../../src/chat/classic-runner.js';
import { loadChatConfig } from '../../../src/chat/config.js';
import { ChatService } from '../../../src/chat/service.js';
import { createLogger } from '../../../src/observability/logger.js';
import { InMemorySessionStore } from '../../fakes/in-memory-session-store.js';
import { chatEnv, chunk, completion, named } from '../../helpers/chat.js';
import { appError } from '../../helpers/errors.js';

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

function service(sessions: InMemorySessionStore, clock: () => Date = () => new Date()) {
  const config = loadChatConfig(chatEnv());
  if (config.agent?.kind !== 'classic') throw new Error('chatEnv configures a Bedrock Agents supervisor');
  const logger = createLogger('chat-service-test');
  const runner = new ClassicAgentRunner({
    agent: new BedrockAgentRuntimeClient({ region: 'us-east-1' }),
    agentId: config.agent.agentId,
    agentAliasId: config.agent.agentAliasId,
    enableTrace: config.enableTrace,
    timeoutMs: config.agentTimeoutMs,
    defaultTimeZone: config.defaultTimeZone,
    clock,
    logger,
  });
  return new ChatService({ stage: config.stage, sessions, runner, clock, logger });
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
    expect(sessions.peek(first.session_id)?.pendingConfirmation).toBeUndefined();
  });

  it('answering a confirmation: one read and the single write that takes it', async () => {
    const sessions = new InMemorySessionStore();
    answer(chunk('Shall I add that note?'), confirmRequest);
    const first = await service(sessions).sendMessage(who, 'pf360-token', { message: 'Add a note' });
    expect(first.type).toBe('confirmation_required');
    const before = { reads: sessions.reads, writes: sessions.writes };

    answer(chunk('Done, the note is on the project.'));
    const reply = await service(sessions).answerConfirmation(who, undefined, {
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

describe('what the actions see during a turn', () => {
  it('a fresh PF360 token and a slid expiry are stored before the agent runs', async () => {
    const sessions = new InMemorySessionStore();
    answer(chunk('Hello.'));
    const start = new Date('2026-11-25T15:00:00Z');
    const first = await service(sessions, () => start).sendMessage(who, 'OLD-TOKEN', { message: 'Hi' });

    // 29 minutes later, with 60 s of the session left and a rotated portal token.
    const later = new Date(start.getTime() + 29 * 60_000);
    const seen: { token?: string; expiresAt?: number } = {};
    agent.on(InvokeAgentCommand).callsFake(async () => {
      // What an action Lambda would read from the store in the middle of the turn.
      const stored = sessions.peek(first.session_id);
      seen.token = stored?.authToken;
      seen.expiresAt = stored?.expiresAt;
      return { completion: completion([chunk('Done.')]) };
    });
    await service(sessions, () => later).sendMessage(who, 'NEW-TOKEN', {
      message: 'Book it',
      session_id: first.session_id,
    });
    expect(seen.token).toBe('NEW-TOKEN');
    expect(seen.expiresAt).toBe(Math.floor(later.getTime() / 1000) + 1800);
  });
});

describe('an answer to a confirmation that the agent does not complete', () => {
  async function askForNote(sessions: InMemorySessionStore) {
    answer(chunk('Shall I add that note?'), confirmRequest);
    const asked = await service(sessions).sendMessage(who, 'pf360-token', { message: 'Add a note' });
    expect(asked.type).toBe('confirmation_required');
    return {
      session_id: asked.session_id,
      confirmation_id: asked.confirmation?.confirmation_id ?? '',
      decision: 'confirm' as const,
    };
  }

  it('stays open when the agent turns the call down before starting, so trying again works', async () => {
    const sessions = new InMemorySessionStore();
    const request = await askForNote(sessions);
    agent.on(InvokeAgentCommand).rejects(named('ThrottlingException'));
    const throttled = await appError(service(sessions).answerConfirmation(who, undefined, request));
    expect(throttled).toMatchObject({ status: 429, errorType: 'agent_throttled' });

    answer(chunk('Done, the note is on the project.'));
    const retried = await service(sessions).answerConfirmation(who, undefined, request);
    expect(retried).toMatchObject({ type: 'reply', reply: 'Done, the note is on the project.' });
  });

  it.each([
    [
      'fails part-way through its answer',
      () => ({ completion: completion([chunk('Adding')], named('InternalServerException')) }),
    ],
    ['times out', () => Promise.reject(named('TimeoutError'))],
    ['loses the connection after sending', () => Promise.reject(new Error('socket hang up'))],
    ['answers that the conversation is busy', () => Promise.reject(named('ConflictException'))],
    ['answers with a server error', () => Promise.reject(named('InternalServerException'))],
  ])('is used up, with a 502 that says to check first, when the agent %s (it may have acted)', async (_case, fake) => {
    const sessions = new InMemorySessionStore();
    const request = await askForNote(sessions);
    agent.on(InvokeAgentCommand).callsFake(async () => fake());
    const failed = await appError(service(sessions).answerConfirmation(who, undefined, request));
    expect(failed).toMatchObject({ status: 502, errorType: 'agent_outcome_unknown' });
    expect(failed.message).toMatch(/may or may not have been made.*check before trying again/);

    // Answering again would repeat a write that may have happened: refused.
    answer(chunk('Done.'));
    const again = await appError(service(sessions).answerConfirmation(who, undefined, request));
    expect(again).toMatchObject({ status: 404, errorType: 'confirmation_not_found' });
  });

  it('stores a fresh PF360 token sent with the answer before the change is made with it', async () => {
    const sessions = new InMemorySessionStore();
    const request = await askForNote(sessions);
    let seen: string | undefined;
    agent.on(InvokeAgentCommand).callsFake(async () => {
      seen = sessions.peek(request.session_id)?.authToken;
      return { completion: completion([chunk('Done.')]) };
    });
    await service(sessions).answerConfirmation(who, 'ROTATED-TOKEN', request);
    expect(seen).toBe('ROTATED-TOKEN');
  });

  it('is not reopened over a newer question asked while the refused answer was on its way', async () => {
    const sessions = new InMemorySessionStore();
    const request = await askForNote(sessions);
    const newer = {
      ...structuredClone(sessions.peek(request.session_id)?.pendingConfirmation),
      confirmationId: 'c-newer',
    };
    agent.on(InvokeAgentCommand).callsFake(async () => {
      // A message in the meantime ended the old question and asked a new one.
      await sessions.update(request.session_id, { pendingConfirmation: newer as never }, new Date());
      throw named('ThrottlingException');
    });
    await appError(service(sessions).answerConfirmation(who, undefined, request));
    expect(sessions.peek(request.session_id)?.pendingConfirmation?.confirmationId).toBe('c-newer');
    const old = await appError(service(sessions).answerConfirmation(who, undefined, request));
    expect(old).toMatchObject({ status: 404 });
  });
});

/**
 * The code-defined agent's turns on in-memory adapters with a scripted model: the real agent
 * loop (Strands), the real tools and handlers, the spec examples for PF360. What a write waits
 * for, what a yes and a no do, and what survives across runner instances (other processes).
 */
import { describe, expect, it } from 'vitest';
import { declined, movedOn } from '../../../src/agent/assistant.js';
import { CodeAgentRunner } from '../../../src/agent/runner.js';
import { ScriptedModel, type ScriptedTurn } from '../../../src/agent/scripted-model.js';
import { type AgentReply, AgentTurnError, silentSink } from '../../../src/chat/agent-runner.js';
import { expiryFrom, type PendingConfirmation, type Session } from '../../../src/domain/session.js';
import { createLogger } from '../../../src/observability/logger.js';
import type { ConversationStore } from '../../../src/ports/conversation-store.js';
import { InMemoryConversationStore } from '../../fakes/in-memory-conversation-store.js';
import { rejection } from '../../helpers/errors.js';
import { inMemoryActions } from '../../helpers/in-memory-actions.js';

const booking = { project_id: '12350', date: '2026-12-02', time: '10:00 AM' };

/** The turns that bring a conversation to the point where the roof job's 10:00 AM slot is asked about. */
const upToTheQuestion: ScriptedTurn[] = [
  { toolCalls: [{ name: 'list_projects', input: {} }] },
  { toolCalls: [{ name: 'get_available_dates', input: { project_id: '12350' } }] },
  { toolCalls: [{ name: 'get_time_slots', input: { project_id: '12350', date: '2026-12-02' } }] },
  { text: 'Booking Wednesday at 10:00 AM for you.', toolCalls: [{ name: 'confirm_appointment', input: booking }] },
];

function world(turns: ScriptedTurn[]) {
  const actions = inMemoryActions();
  const model = new ScriptedModel(turns);
  const conversations = new InMemoryConversationStore();
  const logger = createLogger('runner-test');
  logger.appendKeys({ correlation_id: 'runner-test' });
  // A new runner per call: as another process would, it knows only what the stores hold.
  const runner = (store: ConversationStore = conversations) =>
    new CodeAgentRunner({
      model,
      invoke: actions.invoke,
      conversations: store,
      timeoutMs: 10_000,
      defaultTimeZone: 'America/New_York',
      clock: () => new Date(),
      logger,
    });
  const now = new Date();
  const session: Session = {
    sessionId: 's-runner-test',
    customerId: '1645975',
    clientId: '09PF05VD',
    clientName: 'projectsforce-validation',
    authToken: 'runner-test-token',
    stage: 'test',
    createdAt: now.toISOString(),
    expiresAt: expiryFrom(now, 1800),
    scheduling: {},
  };
  actions.sessions.seed(session);
  const pending = (reply: AgentReply): PendingConfirmation => {
    if (!reply.confirmation) throw new Error('the turn did not stop for a confirmation');
    return {
      confirmationId: 'c-1',
      operation: 'confirm_appointment',
      summary: '',
      details: {},
      createdAt: now.toISOString(),
      resume: reply.confirmation.resume,
    };
  };
  const writes = () =>
    actions.pf360Calls.filter((c) => c.method === 'schedule' || c.method === 'cancel' || c.method === 'addNote');
  /** The tool results the model was last given. */
  const lastResults = () => {
    const messages = model.calls.at(-1)?.messages as { role: string; content: { toolResult?: unknown }[] }[];
    return (messages.at(-1)?.content ?? []).map((c) => c.toolResult).filter(Boolean);
  };
  return { runner, session, model, conversations, actions, pending, writes, lastResults };
}

describe('the code-defined agent', () => {
  it('stops at a write, without making it, and names the change to confirm', async () => {
    // Prepare
    const w = world([...upToTheQuestion]);

    // Act
    const reply = await w.runner().send(w.session, 'Book my roof for Wednesday at 10', silentSink);

    // Assess
    expect(reply.text).toBe('Booking Wednesday at 10:00 AM for you.');
    expect(reply.confirmation?.changes).toEqual([{ operation: 'confirm_appointment', values: booking }]);
    expect(w.writes()).toEqual([]);
    expect(w.model.remaining).toBe(0);
    expect((await w.conversations.load(w.session.sessionId))?.interrupts).toHaveLength(1);
  });

  it('makes the change once on a yes answered by another runner, and gives the model its result', async () => {
    // Prepare
    const w = world([...upToTheQuestion, { text: 'Done: you are booked for Wednesday at 10:00 AM.' }]);
    const asked = await w.runner().send(w.session, 'Book my roof for Wednesday at 10', silentSink);

    // Act
    const reply = await w.runner().answer(w.session, w.pending(asked).resume, 'confirm', silentSink);

    // Assess
    expect(reply).toEqual({ text: 'Done: you are booked for Wednesday at 10:00 AM.' });
    expect(w.writes()).toEqual([{ method: 'schedule', projectId: '12350' }]);
    expect(w.lastResults()).toEqual([expect.objectContaining({ status: 'success' })]);
    expect((await w.conversations.load(w.session.sessionId))?.interrupts).toEqual([]);
  });

  it('changes nothing on a no, and tells the model the customer declined', async () => {
    // Prepare
    const w = world([...upToTheQuestion, { text: 'All right, I left it as it was.' }]);
    const asked = await w.runner().send(w.session, 'Book my roof for Wednesday at 10', silentSink);

    // Act
    const reply = await w.runner().answer(w.session, w.pending(asked).resume, 'deny', silentSink);

    // Assess
    expect(reply.text).toBe('All right, I left it as it was.');
    expect(w.writes()).toEqual([]);
    expect(w.lastResults()).toEqual([
      expect.objectContaining({ status: 'error', content: [expect.objectContaining({ text: declined })] }),
    ]);
  });

  it('refuses the paused change without a model call when the customer sends a new message instead', async () => {
    // Prepare
    const w = world([...upToTheQuestion, { text: 'You have four projects.' }]);
    await w.runner().send(w.session, 'Book my roof for Wednesday at 10', silentSink);

    // Act
    const reply = await w.runner().send(w.session, 'Actually, what projects do I have?', silentSink);

    // Assess
    expect(reply.text).toBe('You have four projects.');
    expect(w.model.calls).toHaveLength(upToTheQuestion.length + 1);
    expect(w.writes()).toEqual([]);
    const history = JSON.stringify(w.model.calls.at(-1)?.messages);
    expect(history).toContain(movedOn);
    expect(history).toContain('Actually, what projects do I have?');
  });

  it('refuses a resumed change whose input is not the one the customer was shown', async () => {
    // Prepare
    const w = world([...upToTheQuestion, { text: 'Let me ask you again.' }]);
    const asked = await w.runner().send(w.session, 'Book my roof for Wednesday at 10', silentSink);
    const question = w.pending(asked);
    if (question.resume.kind !== 'interrupts') throw new Error('expected interrupts');
    const forged = {
      ...question.resume,
      interrupts: question.resume.interrupts.map((i) => ({ ...i, inputDigest: 'forged' })),
    };

    // Act
    await w.runner().answer(w.session, forged, 'confirm', silentSink);

    // Assess
    expect(w.writes()).toEqual([]);
    expect(JSON.stringify(w.lastResults())).toContain('not the one the customer confirmed');
  });

  it('never asks about a change that cannot be made: a slot never offered is refused at once', async () => {
    // Prepare
    const w = world([
      {
        toolCalls: [
          { name: 'confirm_appointment', input: { project_id: '12350', date: '2026-12-02', time: '03:00 PM' } },
        ],
      },
      { text: 'I need to look up the open dates first.' },
    ]);

    // Act
    const reply = await w.runner().send(w.session, 'Book my roof for 3 PM on Wednesday', silentSink);

    // Assess
    expect(reply).toEqual({ text: 'I need to look up the open dates first.' });
    expect(w.writes()).toEqual([]);
    expect(JSON.stringify(w.lastResults())).toContain('dates_not_fetched');
  });

  it("refuses another customer's project without asking and without sending anything to PF360 for it", async () => {
    // Prepare
    const w = world([
      { toolCalls: [{ name: 'list_projects', input: {} }] },
      { toolCalls: [{ name: 'cancel_appointment', input: { project_id: '99999' } }] },
      { text: 'That project is not one of yours.' },
    ]);

    // Act
    const reply = await w.runner().send(w.session, 'Cancel project 99999', silentSink);

    // Assess
    expect(reply.confirmation).toBeUndefined();
    expect(w.actions.pf360Calls.filter((c) => c.projectId === '99999')).toEqual([]);
    expect(JSON.stringify(w.lastResults())).toContain('forbidden');
  });

  it('keeps the conversation as it was when the model fails before anything changed', async () => {
    // Prepare
    const w = world([{ error: { name: 'ThrottlingException', message: 'Rate exceeded', status: 429 } }]);

    // Act
    const error = await rejection(w.runner().send(w.session, 'Hello', silentSink));

    // Assess
    expect(error).toBeInstanceOf(AgentTurnError);
    expect((error as AgentTurnError).failed.errorType).toBe('agent_throttled');
    expect((error as AgentTurnError).nothingRan).toBe(true);
    expect(await w.conversations.load(w.session.sessionId)).toBeUndefined();
  });

  it('keeps a change that ran before the model failed, and finishes that turn before the next message', async () => {
    // Prepare
    const w = world([
      ...upToTheQuestion,
      { error: { name: 'InternalServerException', message: 'boom', status: 500 } },
      { text: 'Your booking is made.' },
      { text: 'It is on Wednesday at 10:00 AM.' },
    ]);
    const asked = await w.runner().send(w.session, 'Book my roof for Wednesday at 10', silentSink);
    const failed = await rejection(w.runner().answer(w.session, w.pending(asked).resume, 'confirm', silentSink));

    // Act
    const next = await w.runner().send(w.session, 'So is it booked?', silentSink);

    // Assess
    expect((failed as AgentTurnError).nothingRan).toBe(false);
    expect(w.writes()).toEqual([{ method: 'schedule', projectId: '12350' }]);
    expect(next.text).toBe('It is on Wednesday at 10:00 AM.');
    expect(w.model.remaining).toBe(0);
  });

  it('streams the words as the model writes them, keeping successive answers apart', async () => {
    // Prepare
    const w = world([
      { text: ['Let me ', 'look.'], toolCalls: [{ name: 'list_projects', input: {} }] },
      { text: ['You have ', 'four projects.'] },
    ]);
    const pieces: string[] = [];

    // Act
    const reply = await w.runner().send(w.session, 'What do I have?', { text: (t) => pieces.push(t) });

    // Assess
    expect(pieces).toEqual(['Let me ', 'look.', '\n\nYou have ', 'four projects.']);
    expect(reply.text).toBe('Let me look.\n\nYou have four projects.');
  });

  it('refuses to store a turn over a newer one saved by another process (agent_conflict)', async () => {
    // Prepare: one process has stored a turn; another read the conversation before it did.
    const w = world([{ text: 'First.' }, { text: 'Second.' }]);
    await w.runner().send(w.session, 'one', silentSink);
    const stale = { load: async () => undefined, save: w.conversations.save.bind(w.conversations) };

    // Act
    const error = await rejection(w.runner(stale).send(w.session, 'two', silentSink));

    // Assess
    expect((error as AgentTurnError).failed.errorType).toBe('agent_conflict');
    expect((error as AgentTurnError).nothingRan).toBe(true);
  });
});

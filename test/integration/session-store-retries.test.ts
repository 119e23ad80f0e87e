/**
 * The DynamoDB client retries once (src/adapters/dynamodb/client.ts). When the first attempt of a
 * conditional write was applied but its answer was lost (a timeout or reset after DynamoDB wrote),
 * the retry meets its own write: it must report the write's real outcome, not a failed condition.
 * Real DynamoDB Local; the lost answer is injected below the SDK's retry layer.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient, createDynamoDbClient } from '../../src/adapters/dynamodb/client.js';
import { DynamoDbSessionStore } from '../../src/adapters/dynamodb/session-store.js';
import type { PendingConfirmation } from '../../src/domain/session.js';
import { newSessionId } from '../../src/domain/session-id.js';
import { createSession, demoCustomer, readSessionItem } from '../helpers/sessions.js';

/** A store whose next `command` is applied by DynamoDB but answered with a transient error. */
function storeLosingAnswerOf(command: string) {
  const client: DynamoDBClient = createDynamoDbClient();
  const lost = { remaining: 1, attempts: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === command) {
        lost.attempts++;
        if (lost.remaining > 0) {
          lost.remaining--;
          throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET', $metadata: {} });
        }
      }
      return result;
    },
    { step: 'deserialize', name: 'loseOneAnswer' },
  );
  const store = new DynamoDbSessionStore(createDocumentClient(client), process.env.SESSIONS_TABLE ?? '', 1800);
  return { store, lost };
}

const pending = (confirmationId: string): PendingConfirmation => ({
  confirmationId,
  operation: 'confirm_appointment',
  summary: 'Book Roofing on 2026-12-02 at 10:00 AM',
  details: { project: 'Roofing', date: '2026-12-02', time: '10:00 AM' },
  resume: {
    kind: 'returnControl' as const,
    invocationId: 'inv-1',
    invocations: [{ actionGroup: 'scheduling', apiPath: '/confirm-appointment', httpMethod: 'POST' }],
  },
  createdAt: new Date().toISOString(),
});

describe('a conditional session write whose answer is lost, then retried', () => {
  it('taking a pending confirmation still returns it, once', async () => {
    const now = new Date();
    const { sessionId } = await createSession({}, now);
    const { store, lost } = storeLosingAnswerOf('UpdateItemCommand');
    const stored = pending('c-lost-answer');
    await new DynamoDbSessionStore(createDocumentClient(), process.env.SESSIONS_TABLE ?? '', 1800).update(
      sessionId,
      { pendingConfirmation: stored },
      now,
    );

    const taken = await store.takePendingConfirmation(sessionId, 'c-lost-answer', now);
    expect(lost.attempts).toBe(2);
    // Exactly what was pending: the taken mark stays in the table.
    expect(taken?.pending).toEqual(stored);

    // A second answer to the same confirmation (a double click) is refused, and nothing is pending.
    expect(await store.takePendingConfirmation(sessionId, 'c-lost-answer', now)).toBeUndefined();
    expect((await store.get(sessionId))?.pendingConfirmation).toBeUndefined();
  });

  it('creating a session still succeeds, and stores it once', async () => {
    const now = new Date();
    const { store, lost } = storeLosingAnswerOf('PutItemCommand');
    const sessionId = newSessionId();
    const created = await store.create({ sessionId, ...demoCustomer, stage: 'test' }, now);
    expect(lost.attempts).toBe(2);
    expect(created.sessionId).toBe(sessionId);
    expect(await readSessionItem(sessionId)).toMatchObject({ session_id: sessionId, customer_id: '1645975' });
  });

  it('creating a session whose id is already taken by another is still refused', async () => {
    const now = new Date();
    const { sessionId } = await createSession({}, now);
    const { store } = storeLosingAnswerOf('none');
    await expect(
      store.create({ sessionId, ...demoCustomer, customerId: '9999999', stage: 'test' }, now),
    ).rejects.toThrow();
    expect(await readSessionItem(sessionId)).toMatchObject({ customer_id: '1645975' });
  });
});

describe('releasing a taken confirmation (the agent never started on the answer)', () => {
  const store = () => new DynamoDbSessionStore(createDocumentClient(), process.env.SESSIONS_TABLE ?? '', 1800);

  it('opens it again for the same claim, once', async () => {
    const now = new Date();
    const { sessionId } = await createSession({}, now);
    await store().update(sessionId, { pendingConfirmation: pending('c-release') }, now);
    const taken = await store().takePendingConfirmation(sessionId, 'c-release', now);
    expect((await store().get(sessionId))?.pendingConfirmation).toBeUndefined();

    await store().releasePendingConfirmation(sessionId, 'c-release', taken?.claim ?? '');
    expect((await store().get(sessionId))?.pendingConfirmation?.confirmationId).toBe('c-release');
    expect((await store().takePendingConfirmation(sessionId, 'c-release', now))?.pending.confirmationId).toBe(
      'c-release',
    );
  });

  it('leaves a newer question alone, and ignores a claim that is not the taker', async () => {
    const now = new Date();
    const { sessionId } = await createSession({}, now);
    await store().update(sessionId, { pendingConfirmation: pending('c-old') }, now);
    const taken = await store().takePendingConfirmation(sessionId, 'c-old', now);
    await store().releasePendingConfirmation(sessionId, 'c-old', 'someone-else');
    expect((await store().get(sessionId))?.pendingConfirmation).toBeUndefined();

    await store().update(sessionId, { pendingConfirmation: pending('c-new') }, now);
    await store().releasePendingConfirmation(sessionId, 'c-old', taken?.claim ?? '');
    expect((await store().get(sessionId))?.pendingConfirmation?.confirmationId).toBe('c-new');
  });
});

/**
 * What every SessionStore does, as one suite: run on the in-memory store of the unit tests
 * (test/unit/adapters/in-memory-session-store.test.ts) and on DynamoDB Local
 * (test/integration/session-store.dynamodb.test.ts), so the fake cannot drift from the real store.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import type { NewSession, PendingConfirmation } from '../../src/domain/session.js';
import { newSessionId } from '../../src/domain/session-id.js';
import type { SessionStore } from '../../src/ports/session-store.js';
import { appError } from '../helpers/errors.js';

/** TTL the stores are built with. */
export const contractTtlSeconds = 1800;

const identity = (overrides: Partial<NewSession> = {}): NewSession => ({
  sessionId: newSessionId(),
  customerId: '1645975',
  clientId: '09PF05VD',
  clientName: 'projectsforce-validation',
  authToken: 'contract-token',
  stage: 'test',
  timeZone: 'America/New_York',
  ...overrides,
});

const pending = (confirmationId = `c-${randomUUID()}`): PendingConfirmation => ({
  confirmationId,
  operation: 'add_note',
  summary: 'Add this note to project 12347: "Gate code 4417"',
  details: { project_id: '12347', note_text: 'Gate code 4417' },
  resume: {
    kind: 'returnControl' as const,
    invocationId: 'inv-1',
    invocations: [{ actionGroup: 'notes', apiPath: '/add-note', httpMethod: 'POST' }],
  },
  createdAt: '2026-11-25T14:00:00.000Z',
});

export function sessionStoreContract(name: string, makeStore: () => SessionStore): void {
  describe(`${name} (SessionStore contract)`, () => {
    // Whole seconds, in the future: DynamoDB Local sweeps items whose TTL has passed.
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

    it('creates a session and reads it back as created, with a sliding expiry', async () => {
      // Prepare
      const store = makeStore();
      const input = identity({ firstName: 'Maria' });

      // Act
      const created = await store.create(input, now);
      const read = await store.get(input.sessionId);

      // Assess
      expect(read).toStrictEqual(created);
      expect(created).toMatchObject({ ...input, createdAt: now.toISOString(), scheduling: {} });
      expect(created.expiresAt).toBe(Math.floor(now.getTime() / 1000) + contractTtlSeconds);
    });

    it('reads a session that does not exist as undefined', async () => {
      expect(await makeStore().get(newSessionId())).toBeUndefined();
    });

    it('refuses to create a session whose id exists', async () => {
      // Prepare
      const store = makeStore();
      const input = identity();
      await store.create(input, now);

      // Act
      const error = await appError(store.create({ ...input, customerId: 'someone-else' }, now));

      // Assess
      expect(error.errorType).toBe('storage_unavailable');
      expect((await store.get(input.sessionId))?.customerId).toBe('1645975');
    });

    it('creates a session over an expired one with the same id, keeping nothing of it', async () => {
      // Prepare
      const store = makeStore();
      const input = identity();
      await store.create(input, later(-contractTtlSeconds - 1));
      await store.update(input.sessionId, { pendingConfirmation: pending() }, later(-contractTtlSeconds - 1));

      // Act
      const created = await store.create({ ...input, authToken: 'fresh-token' }, now);

      // Assess
      expect(await store.get(input.sessionId)).toStrictEqual(created);
      expect(created).toMatchObject({ authToken: 'fresh-token', createdAt: now.toISOString(), scheduling: {} });
      expect(created.pendingConfirmation).toBeUndefined();
    });

    it('applies a patch: the project list replaced, one project set, another removed, the TTL slid', async () => {
      // Prepare
      const store = makeStore();
      const { sessionId } = await store.create(identity(), now);
      const project = {
        category: 'Roofing',
        projectType: null,
        status: 'Pending',
        orderNumber: 'ORD-3',
        scheduledDate: null,
        scheduledTime: null,
        city: 'Tampa',
        state: 'FL',
        zipcode: '33602',
      };
      await store.update(sessionId, { scheduling: { a: { requestId: 'r-a' }, b: { requestId: 'r-b' } } }, now);

      // Act
      await store.update(
        sessionId,
        { projects: { '12350': project }, scheduling: { a: { requestId: 'r-a2', offeredDates: [] }, b: null } },
        later(60),
      );

      // Assess
      const read = await store.get(sessionId);
      expect(read?.projects).toEqual({ '12350': project });
      expect(read?.scheduling).toEqual({ a: { requestId: 'r-a2', offeredDates: [] } });
      expect(read?.expiresAt).toBe(Math.floor(later(60).getTime() / 1000) + contractTtlSeconds);
    });

    it("adds one date's offered slots and keeps the project's request, dates and other slots", async () => {
      // Prepare
      const store = makeStore();
      const { sessionId } = await store.create(identity(), now);
      const state = { requestId: 'r-1', offeredDates: ['2026-12-02', '2026-12-03'], offeredSlots: {} };
      await store.update(sessionId, { scheduling: { '12350': state } }, now);
      await store.update(sessionId, { offeredSlots: { '12350': { '2026-12-02': ['10:00 AM'] } } }, now);

      // Act
      await store.update(sessionId, { offeredSlots: { '12350': { '2026-12-03': ['01:00 PM', '03:00 PM'] } } }, now);

      // Assess
      expect((await store.get(sessionId))?.scheduling['12350']).toEqual({
        ...state,
        offeredSlots: { '2026-12-02': ['10:00 AM'], '2026-12-03': ['01:00 PM', '03:00 PM'] },
      });
    });

    it('refuses offered slots for a project with no scheduling state, and changes nothing', async () => {
      // Prepare
      const store = makeStore();
      const { sessionId } = await store.create(identity(), now);

      // Act
      const error = await appError(store.update(sessionId, { offeredSlots: { '12350': { d: ['10:00 AM'] } } }, now));

      // Assess
      expect(error.errorType).toBe('storage_unavailable');
      expect((await store.get(sessionId))?.scheduling).toEqual({});
    });

    it('stores a fresh PF360 token and sets, then clears, the pending confirmation', async () => {
      // Prepare
      const store = makeStore();
      const { sessionId } = await store.create(identity(), now);
      const question = pending();

      // Act
      await store.update(sessionId, { authToken: 'rotated', pendingConfirmation: question }, now);
      const asked = await store.get(sessionId);
      await store.update(sessionId, { pendingConfirmation: null }, now);
      const cleared = await store.get(sessionId);

      // Assess
      expect([asked?.authToken, asked?.pendingConfirmation]).toEqual(['rotated', question]);
      expect(cleared?.pendingConfirmation).toBeUndefined();
    });

    it.each([
      ['does not exist', async (_store: SessionStore) => newSessionId()],
      [
        'has expired',
        async (store: SessionStore) => (await store.create(identity(), later(-contractTtlSeconds - 1))).sessionId,
      ],
    ])('refuses to update a session that %s (never resurrected)', async (_label, sessionFor) => {
      // Prepare
      const store = makeStore();
      const sessionId = await sessionFor(store);
      const before = await store.get(sessionId);

      // Act
      const error = await appError(store.update(sessionId, { authToken: 'x' }, now));

      // Assess
      expect(error).toBeInstanceOf(AppError);
      expect(error.errorType).toBe('session_expired');
      expect(await store.get(sessionId)).toStrictEqual(before);
    });

    it('reads an expired session as stored: the caller decides what expired means', async () => {
      // Prepare
      const store = makeStore();
      const created = await store.create(identity(), later(-contractTtlSeconds - 1));

      // Act
      const read = await store.get(created.sessionId);

      // Assess
      expect(read).toStrictEqual(created);
    });

    it('hands a pending confirmation out once; it then reads as not pending', async () => {
      // Prepare
      const store = makeStore();
      const { sessionId } = await store.create(identity(), now);
      const question = pending();
      await store.update(sessionId, { pendingConfirmation: question }, now);

      // Act
      const first = await store.takePendingConfirmation(sessionId, question.confirmationId, now);
      const second = await store.takePendingConfirmation(sessionId, question.confirmationId, now);

      // Assess
      expect(first?.pending).toEqual(question);
      expect(second).toBeUndefined();
      expect((await store.get(sessionId))?.pendingConfirmation).toBeUndefined();
    });

    it('hands out nothing for another id, a session without a question, or an expired session', async () => {
      // Prepare
      const store = makeStore();
      const { sessionId } = await store.create(identity(), now);
      const question = pending();
      await store.update(sessionId, { pendingConfirmation: question }, now);
      const { sessionId: bare } = await store.create(identity(), now);

      // Act
      const results = await Promise.all([
        store.takePendingConfirmation(sessionId, 'c-other', now),
        store.takePendingConfirmation(bare, question.confirmationId, now),
        store.takePendingConfirmation(sessionId, question.confirmationId, later(contractTtlSeconds + 1)),
      ]);

      // Assess
      expect(results).toEqual([undefined, undefined, undefined]);
      expect((await store.get(sessionId))?.pendingConfirmation).toEqual(question);
    });

    it('opens a taken confirmation again for the claim that took it, and only while it is not replaced', async () => {
      // Prepare
      const store = makeStore();
      const { sessionId } = await store.create(identity(), now);
      const question = pending();
      await store.update(sessionId, { pendingConfirmation: question }, now);
      const taken = await store.takePendingConfirmation(sessionId, question.confirmationId, now);
      const newer = pending();

      // Act
      await store.releasePendingConfirmation(sessionId, question.confirmationId, 'not-the-claim');
      const afterWrongClaim = await store.get(sessionId);
      await store.releasePendingConfirmation(sessionId, question.confirmationId, taken?.claim ?? '');
      const reopened = await store.get(sessionId);
      const again = await store.takePendingConfirmation(sessionId, question.confirmationId, now);
      await store.update(sessionId, { pendingConfirmation: newer }, now);
      await store.releasePendingConfirmation(sessionId, question.confirmationId, again?.claim ?? '');

      // Assess
      expect(afterWrongClaim?.pendingConfirmation).toBeUndefined();
      expect(reopened?.pendingConfirmation).toEqual(question);
      expect((await store.get(sessionId))?.pendingConfirmation).toEqual(newer);
    });
  });
}

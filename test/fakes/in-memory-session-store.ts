/**
 * A SessionStore in memory, for unit tests of logic. It holds the same items as DynamoDB and
 * changes them with the same plans (src/adapters/dynamodb/session-item.ts, applied by
 * update-plan.ts's applyPlan), so it cannot drift from the real store; the same contract suite
 * runs on both (test/contract/session-store-contract.ts).
 */
import { randomUUID } from 'node:crypto';
import {
  createCondition,
  fromItem,
  keyOf,
  newSession,
  patchPlan,
  releaseConfirmationPlan,
  takeConfirmationPlan,
  takenConfirmation,
  toItem,
} from '../../src/adapters/dynamodb/session-item.js';
import {
  applyPlan,
  InvalidDocumentPathError,
  type Item,
  type UpdatePlan,
} from '../../src/adapters/dynamodb/update-plan.js';
import { AppError } from '../../src/domain/errors.js';
import type { NewSession, PendingConfirmation, Session, SessionPatch } from '../../src/domain/session.js';
import type { SessionStore } from '../../src/ports/session-store.js';

export class InMemorySessionStore implements SessionStore {
  private readonly items = new Map<string, Item>();
  reads = 0;
  writes = 0;

  constructor(private readonly ttlSeconds = 1800) {}

  /** The stored session as a test sees it (no read counted). */
  peek(sessionId: string): Session | undefined {
    const item = this.items.get(sessionId);
    return item ? fromItem(item) : undefined;
  }

  /** Stores a session as it is (a test's starting state; no write counted). */
  seed(session: Session): void {
    this.items.set(session.sessionId, toItem(structuredClone(session)));
  }

  delete(sessionId: string): void {
    this.items.delete(sessionId);
  }

  private apply(sessionId: string, plan: UpdatePlan): Item | undefined {
    this.writes += 1;
    let next: Item | undefined;
    try {
      next = applyPlan(this.items.get(sessionId), plan, keyOf(sessionId));
    } catch (error) {
      // What the DynamoDB store makes of DynamoDB's ValidationException for the same plan.
      if (error instanceof InvalidDocumentPathError)
        throw new AppError('storage_unavailable', undefined, { cause: error });
      throw error;
    }
    if (next) this.items.set(sessionId, next);
    return next;
  }

  async get(sessionId: string): Promise<Session | undefined> {
    this.reads += 1;
    return this.peek(sessionId);
  }

  async create(input: NewSession, now: Date): Promise<Session> {
    this.writes += 1;
    // What DynamoDB's failed PutItem condition becomes in the real store.
    if (!applyPlan(this.items.get(input.sessionId), { condition: createCondition(now) }, keyOf(input.sessionId))) {
      throw new AppError('storage_unavailable');
    }
    const session = newSession(input, now, this.ttlSeconds);
    this.items.set(input.sessionId, toItem(structuredClone(session)));
    return session;
  }

  async update(sessionId: string, patch: SessionPatch, now: Date): Promise<void> {
    if (!this.apply(sessionId, patchPlan(patch, now, this.ttlSeconds))) throw new AppError('session_expired');
  }

  async takePendingConfirmation(
    sessionId: string,
    confirmationId: string,
    now: Date,
  ): Promise<{ pending: PendingConfirmation; claim: string } | undefined> {
    const claim = randomUUID();
    const pending = takenConfirmation(
      this.apply(sessionId, takeConfirmationPlan(confirmationId, claim, now, this.ttlSeconds)),
    );
    return pending ? { pending, claim } : undefined;
  }

  async releasePendingConfirmation(sessionId: string, confirmationId: string, claim: string): Promise<void> {
    this.apply(sessionId, releaseConfirmationPlan(confirmationId, claim));
  }
}

/** A SessionStore in memory, for unit tests of logic only (integration tests use DynamoDB Local). */
import { AppError } from '../../src/domain/errors.js';
import {
  expiryFrom,
  isExpired,
  type NewSession,
  type PendingConfirmation,
  type Session,
  type SessionPatch,
} from '../../src/domain/session.js';
import type { SessionStore } from '../../src/ports/session-store.js';

export class InMemorySessionStore implements SessionStore {
  readonly sessions = new Map<string, Session>();
  /** Taken confirmations, as the DynamoDB store keeps them (marked) until the slot is written again. */
  private readonly taken = new Map<string, { pending: PendingConfirmation; claim: string }>();
  private claims = 0;
  reads = 0;
  writes = 0;

  constructor(private readonly ttlSeconds = 1800) {}

  async get(sessionId: string): Promise<Session | undefined> {
    this.reads += 1;
    const session = this.sessions.get(sessionId);
    return session ? structuredClone(session) : undefined;
  }

  async create(input: NewSession, now: Date): Promise<Session> {
    this.writes += 1;
    const session: Session = {
      ...input,
      createdAt: now.toISOString(),
      expiresAt: expiryFrom(now, this.ttlSeconds),
      scheduling: {},
    };
    this.sessions.set(input.sessionId, structuredClone(session));
    return session;
  }

  async update(sessionId: string, patch: SessionPatch, now: Date): Promise<void> {
    this.writes += 1;
    const session = this.sessions.get(sessionId);
    if (!session || isExpired(session, now)) {
      throw new AppError('session_expired', 'The session expired; please sign in again.');
    }
    if (patch.projects) session.projects = structuredClone(patch.projects);
    for (const [projectId, state] of Object.entries(patch.scheduling ?? {})) {
      if (state === null) delete session.scheduling[projectId];
      else session.scheduling[projectId] = structuredClone(state);
    }
    for (const [projectId, byDate] of Object.entries(patch.offeredSlots ?? {})) {
      const state = session.scheduling[projectId];
      // DynamoDB refuses a nested SET below a missing map; so does this fake.
      if (!state?.offeredSlots) throw new Error(`no offered slots map for project ${projectId}`);
      Object.assign(state.offeredSlots, structuredClone(byDate));
    }
    if (patch.authToken !== undefined) session.authToken = patch.authToken;
    if (patch.pendingConfirmation !== undefined) this.taken.delete(sessionId);
    if (patch.pendingConfirmation === null) delete session.pendingConfirmation;
    else if (patch.pendingConfirmation) session.pendingConfirmation = structuredClone(patch.pendingConfirmation);
    session.expiresAt = expiryFrom(now, this.ttlSeconds);
  }

  async takePendingConfirmation(
    sessionId: string,
    confirmationId: string,
    now: Date,
  ): Promise<{ pending: PendingConfirmation; claim: string } | undefined> {
    this.writes += 1;
    const session = this.sessions.get(sessionId);
    const pending = session?.pendingConfirmation;
    if (!session || isExpired(session, now) || pending?.confirmationId !== confirmationId) return undefined;
    delete session.pendingConfirmation;
    session.expiresAt = expiryFrom(now, this.ttlSeconds);
    const claim = `claim-${++this.claims}`;
    this.taken.set(sessionId, { pending, claim });
    return { pending: structuredClone(pending), claim };
  }

  async releasePendingConfirmation(sessionId: string, confirmationId: string, claim: string): Promise<void> {
    this.writes += 1;
    const taken = this.taken.get(sessionId);
    const session = this.sessions.get(sessionId);
    if (!session || taken?.claim !== claim || taken.pending.confirmationId !== confirmationId) return;
    session.pendingConfirmation = taken.pending;
    this.taken.delete(sessionId);
  }
}

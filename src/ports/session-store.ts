import type { NewSession, PendingConfirmation, Session, SessionPatch } from '../domain/session.js';

/** Sessions by Bedrock sessionId. Implementations translate storage failures to StorageError. */
export interface SessionStore {
  /** The stored session, expired or not (callers decide), or undefined. One read. */
  get(sessionId: string): Promise<Session | undefined>;
  /** Creates a session; fails if the id exists. */
  create(session: NewSession, now: Date): Promise<Session>;
  /**
   * Applies `patch` and slides the TTL in one write. Throws SessionError when the session is
   * gone or expired by then (it is never resurrected).
   */
  update(sessionId: string, patch: SessionPatch, now: Date): Promise<void>;
  /**
   * Removes and returns the pending confirmation if (and only if) it has this id, atomically:
   * a confirmation can be answered once. Undefined when there is no such pending confirmation.
   */
  takePendingConfirmation(
    sessionId: string,
    confirmationId: string,
    now: Date,
  ): Promise<PendingConfirmation | undefined>;
}

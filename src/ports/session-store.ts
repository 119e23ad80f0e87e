import type { NewSession, PendingConfirmation, Session, SessionPatch } from '../domain/session.js';

/** Sessions by Bedrock sessionId. Implementations translate storage failures to StorageError. */
export interface SessionStore {
  /** The stored session, expired or not (callers decide), or undefined. One read. */
  get(sessionId: string): Promise<Session | undefined>;
  /**
   * Creates a session; fails if a live session has the id. An expired one with the id is
   * replaced whole (a session id derived from the customer comes back after its session ended).
   */
  create(session: NewSession, now: Date): Promise<Session>;
  /**
   * Applies `patch` and slides the TTL in one write. Throws SessionError when the session is
   * gone or expired by then (it is never resurrected).
   */
  update(sessionId: string, patch: SessionPatch, now: Date): Promise<void>;
  /**
   * Takes the pending confirmation if (and only if) it has this id, atomically: a confirmation
   * can be answered once. Undefined when there is no such pending confirmation. `claim` names
   * this take, for releasePendingConfirmation.
   */
  takePendingConfirmation(
    sessionId: string,
    confirmationId: string,
    now: Date,
  ): Promise<{ pending: PendingConfirmation; claim: string } | undefined>;
  /**
   * Opens a taken confirmation again, only if it is still the one this claim took (a newer
   * message or confirmation has not replaced it since). Used when nothing was done with it.
   */
  releasePendingConfirmation(sessionId: string, confirmationId: string, claim: string): Promise<void>;
}

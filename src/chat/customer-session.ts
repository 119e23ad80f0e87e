/**
 * The customer's session at a front door — the chat API and the AgentCore Gateway target — found
 * or started by the same rules: a live session is carried on only for the customer it is bound to,
 * a new one needs the customer's PF360 token (the operations call PF360 with it), and a fresh
 * PF360 token is stored before anything acts with the session. The identity always comes from a
 * verified token (auth.ts), never from what the caller names.
 */
import { AppError, validationError } from '../domain/errors.js';
import { isExpired, type Session, type SessionPatch } from '../domain/session.js';
import { type Logger, sessionRef } from '../observability/logger.js';
import type { SessionStore } from '../ports/session-store.js';
import type { CustomerIdentity } from './auth.js';

export interface CustomerSessionDeps {
  sessions: SessionStore;
  stage: string;
  logger: Logger;
}

export interface OpenSessionRequest {
  who: CustomerIdentity;
  /** The PF360 token the caller sent with this request, if any. */
  pf360Token: string | undefined;
  /** Where the caller sends the PF360 token (a header name), for the error when a new session needs it. */
  pf360TokenField: string;
  /** The session to carry on, if any; absent or expired, a new one is started. */
  resumeId?: string;
  /** The id a new session gets. */
  newId: () => string;
  /** What carrying on also changes (the chat: a new message ends an unanswered confirmation). */
  onResume?: SessionPatch;
  now: Date;
}

export function owns(session: Session, who: CustomerIdentity): boolean {
  return session.customerId === who.customerId && session.clientId === who.clientId;
}

export function anotherCustomersSession(): AppError {
  return new AppError('forbidden', 'This conversation belongs to another account; start a new one.');
}

function live(session: Session | undefined, now: Date): session is Session {
  return session !== undefined && !isExpired(session, now);
}

/** The session this request works in, created or carried on; as read before this request's own patch. */
export async function openCustomerSession(deps: CustomerSessionDeps, request: OpenSessionRequest): Promise<Session> {
  const { who, pf360Token, now } = request;
  if (request.resumeId) {
    const found = await deps.sessions.get(request.resumeId);
    if (live(found, now)) {
      if (!owns(found, who)) {
        deps.logger.warn('session belongs to another customer', { session: sessionRef(found.sessionId) });
        throw anotherCustomersSession();
      }
      const patch: SessionPatch = { ...request.onResume };
      if (pf360Token && pf360Token !== found.authToken) patch.authToken = pf360Token;
      if (Object.keys(patch).length > 0) await deps.sessions.update(found.sessionId, patch, now);
      return found;
    }
  }
  if (!pf360Token) {
    throw validationError(
      `A new conversation needs the customer's PF360 token in the ${request.pf360TokenField} header.`,
      request.pf360TokenField,
    );
  }
  const sessionId = request.newId();
  try {
    return await deps.sessions.create(
      {
        sessionId,
        customerId: who.customerId,
        clientId: who.clientId,
        clientName: who.clientName,
        authToken: pf360Token,
        stage: deps.stage,
        ...(who.timeZone ? { timeZone: who.timeZone } : {}),
        ...(who.firstName ? { firstName: who.firstName } : {}),
      },
      now,
    );
  } catch (error) {
    // An id derived from the customer: a concurrent first call of theirs created it an instant
    // earlier. Work in that one (it is theirs by construction, checked all the same).
    if (sessionId !== request.resumeId) throw error;
    const raced = await deps.sessions.get(sessionId);
    if (!live(raced, now) || !owns(raced, who)) throw error;
    return raced;
  }
}

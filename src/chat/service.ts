/**
 * One chat turn: find or start the customer's session, run the agent (whichever runner the stage
 * uses), and answer with its text or with a change waiting for the customer's confirmation. The
 * front door's duties live here, the same on every platform: the session bound to the customer,
 * the fresh PF360 token stored before the agent acts, and confirmations that answer once.
 */
import type { components } from '../../generated/types/chat.js';
import { AppError, validationError } from '../domain/errors.js';
import { isExpired, type PendingConfirmation, type Session, type SessionPatch } from '../domain/session.js';
import { newSessionId } from '../domain/session-id.js';
import { type Logger, sessionRef } from '../observability/logger.js';
import type { SessionStore } from '../ports/session-store.js';
import { type AgentReply, type AgentRunner, AgentTurnError, silentSink, type TurnSink } from './agent-runner.js';
import type { CustomerIdentity } from './auth.js';
import { describeChanges, newConfirmationId } from './confirmations.js';

type Schemas = components['schemas'];
export type ChatRequest = Schemas['ChatRequest'];
export type ConfirmRequest = Schemas['ConfirmRequest'];
export type ChatResponse = Schemas['ChatResponse'];

export interface ChatServiceDeps {
  stage: string;
  sessions: SessionStore;
  runner: AgentRunner;
  clock: () => Date;
  logger: Logger;
}

function forbidden(): AppError {
  return new AppError('forbidden', 'This conversation belongs to another account; start a new one.');
}

function owns(session: Session, who: CustomerIdentity): boolean {
  return session.customerId === who.customerId && session.clientId === who.clientId;
}

export class ChatService {
  constructor(private readonly deps: ChatServiceDeps) {}

  /**
   * The agent's reply as the API's answer. The stored session is already current for this turn
   * (created, updated or its confirmation taken before the agent ran, so the tools saw the fresh
   * token and expiry); the only write left is a new pending confirmation.
   */
  private async answerWith(session: Session, now: Date, reply: AgentReply): Promise<ChatResponse> {
    const { confirmation } = reply;
    if (!confirmation) return { type: 'reply', session_id: session.sessionId, reply: reply.text };
    // The tools may have refreshed the project list during this turn: read it for the summary.
    const fresh = (await this.deps.sessions.get(session.sessionId)) ?? session;
    const pending: PendingConfirmation = {
      confirmationId: newConfirmationId(),
      ...describeChanges(confirmation.changes, fresh),
      resume: confirmation.resume,
      createdAt: now.toISOString(),
    };
    await this.deps.sessions.update(session.sessionId, { pendingConfirmation: pending }, now);
    return {
      type: 'confirmation_required',
      session_id: session.sessionId,
      reply: reply.text,
      confirmation: {
        confirmation_id: pending.confirmationId,
        operation: pending.operation,
        summary: pending.summary,
        details: pending.details,
      },
    };
  }

  async sendMessage(
    who: CustomerIdentity,
    pf360Token: string | undefined,
    request: ChatRequest,
    sink: TurnSink = silentSink,
  ): Promise<ChatResponse> {
    const now = this.deps.clock();
    let session: Session | undefined;
    if (request.session_id) {
      const found = await this.deps.sessions.get(request.session_id);
      if (found && !isExpired(found, now)) {
        if (!owns(found, who)) {
          this.deps.logger.warn('session belongs to another customer', { session: sessionRef(request.session_id) });
          throw forbidden();
        }
        session = found;
      }
    }
    if (!session) {
      if (!pf360Token) {
        throw validationError(
          "A new conversation needs the customer's PF360 token in the X-PF360-Token header.",
          'X-PF360-Token',
        );
      }
      session = await this.deps.sessions.create(
        {
          sessionId: newSessionId(),
          customerId: who.customerId,
          clientId: who.clientId,
          clientName: who.clientName,
          authToken: pf360Token,
          stage: this.deps.stage,
          ...(who.timeZone ? { timeZone: who.timeZone } : {}),
          ...(who.firstName ? { firstName: who.firstName } : {}),
        },
        now,
      );
    } else {
      // Before the agent runs, so its actions use the fresh PF360 token and a session that cannot
      // expire mid-turn; a new message also ends any confirmation left unanswered.
      const patch: SessionPatch = { pendingConfirmation: null };
      if (pf360Token && pf360Token !== session.authToken) patch.authToken = pf360Token;
      await this.deps.sessions.update(session.sessionId, patch, now);
    }
    this.deps.logger.appendKeys({ session: sessionRef(session.sessionId) });
    let reply: AgentReply;
    try {
      reply = await this.deps.runner.send(session, request.message, sink);
    } catch (error) {
      throw error instanceof AgentTurnError ? error.failed : error;
    }
    return this.answerWith(session, now, reply);
  }

  async answerConfirmation(
    who: CustomerIdentity,
    pf360Token: string | undefined,
    request: ConfirmRequest,
    sink: TurnSink = silentSink,
  ): Promise<ChatResponse> {
    const now = this.deps.clock();
    const session = await this.deps.sessions.get(request.session_id);
    if (!session || isExpired(session, now)) throw new AppError('session_not_found');
    if (!owns(session, who)) throw forbidden();
    this.deps.logger.appendKeys({ session: sessionRef(session.sessionId) });
    // The confirmed change is made with the session's token: store a fresh one first.
    if (pf360Token && pf360Token !== session.authToken) {
      await this.deps.sessions.update(session.sessionId, { authToken: pf360Token }, now);
    }
    const taken = await this.deps.sessions.takePendingConfirmation(session.sessionId, request.confirmation_id, now);
    const pending = taken?.pending;
    if (!taken || !pending) throw new AppError('confirmation_not_found');
    this.deps.logger.info('confirmation answered', { operation: pending.operation, decision: request.decision });
    let reply: AgentReply;
    try {
      reply = await this.deps.runner.answer(session, pending.resume, request.decision, sink);
    } catch (error) {
      if (!(error instanceof AgentTurnError)) throw error;
      if (error.nothingRan) {
        // Nothing ran: open the question again (unless a newer message replaced it), so that
        // trying again, as the message says, works.
        await this.deps.sessions.releasePendingConfirmation(session.sessionId, pending.confirmationId, taken.claim);
        throw error.failed;
      }
      // The agent may have carried out the answer before failing: do not invite a blind retry.
      throw new AppError('agent_outcome_unknown', undefined, { cause: error.failed });
    }
    return this.answerWith(session, now, reply);
  }
}

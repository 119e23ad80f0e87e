/**
 * One chat turn: find or start the customer's session, run the agent (whichever runner the stage
 * uses), and answer with its text or with a change waiting for the customer's confirmation. The
 * front door's duties live here, the same on every platform: the session bound to the customer,
 * the fresh PF360 token stored before the agent acts, and confirmations that answer once.
 */
import type { components } from '../../generated/types/chat.js';
import { AppError } from '../domain/errors.js';
import { isExpired, type PendingConfirmation, type Session } from '../domain/session.js';
import { newSessionId } from '../domain/session-id.js';
import { type Logger, sessionRef } from '../observability/logger.js';
import type { SessionStore } from '../ports/session-store.js';
import { type AgentReply, type AgentRunner, AgentTurnError, silentSink, type TurnSink } from './agent-runner.js';
import type { CustomerIdentity } from './auth.js';
import { describeChanges, newConfirmationId } from './confirmations.js';
import { anotherCustomersSession, openCustomerSession, owns } from './customer-session.js';

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
    const session = await openCustomerSession(this.deps, {
      who,
      pf360Token,
      pf360TokenField: 'X-PF360-Token',
      ...(request.session_id ? { resumeId: request.session_id } : {}),
      newId: newSessionId,
      // Before the agent runs, so its actions use the fresh PF360 token and a session that cannot
      // expire mid-turn; a new message also ends any confirmation left unanswered.
      onResume: { pendingConfirmation: null },
      now,
    });
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
    if (!owns(session, who)) throw anotherCustomersSession();
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

/**
 * One chat turn: find or start the customer's session, run the supervisor agent, and answer
 * with its text or with a write waiting for the customer's confirmation.
 */
import {
  type BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type InvokeAgentCommandInput,
  type InvokeAgentCommandOutput,
  type SessionState,
} from '@aws-sdk/client-bedrock-agent-runtime';
import type { components } from '../../generated/types/chat.js';
import { AppError, validationError } from '../domain/errors.js';
import { isExpired, type PendingConfirmation, type Session, type SessionPatch } from '../domain/session.js';
import { newSessionId } from '../domain/session-id.js';
import { dateIn } from '../domain/time.js';
import { type Logger, sessionRef } from '../observability/logger.js';
import type { SessionStore } from '../ports/session-store.js';
import type { CustomerIdentity } from './auth.js';
import type { ChatConfig } from './config.js';
import { confirmationResults, pendingFromReturnControl } from './confirmations.js';
import { type AgentTurn, agentError, consumeCompletion } from './stream.js';

type Schemas = components['schemas'];
export type ChatRequest = Schemas['ChatRequest'];
export type ConfirmRequest = Schemas['ConfirmRequest'];
export type ChatResponse = Schemas['ChatResponse'];

export interface ChatServiceDeps {
  config: ChatConfig & { agent: NonNullable<ChatConfig['agent']> };
  sessions: SessionStore;
  agent: Pick<BedrockAgentRuntimeClient, 'send'>;
  clock: () => Date;
  logger: Logger;
}

/** InvokeAgent errors that mean the agent never started on the call (the client makes one attempt). */
const refusedBeforeStarting = new Set([
  'ThrottlingException',
  'ServiceQuotaExceededException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ModelNotReadyException',
  'CredentialsProviderError',
]);

function forbidden(): AppError {
  return new AppError('forbidden', 'This conversation belongs to another account; start a new one.');
}

function owns(session: Session, who: CustomerIdentity): boolean {
  return session.customerId === who.customerId && session.clientId === who.clientId;
}

export class ChatService {
  constructor(private readonly deps: ChatServiceDeps) {}

  /** Non-secret identity for the action Lambdas; the model cannot read session attributes. */
  private sessionState(session: Session, now: Date): SessionState {
    const timeZone = session.timeZone ?? this.deps.config.defaultTimeZone;
    return {
      sessionAttributes: { customer_id: session.customerId, client_id: session.clientId },
      promptSessionAttributes: {
        today: dateIn(now, timeZone),
        time_zone: timeZone,
        ...(session.firstName ? { customer_first_name: session.firstName } : {}),
      },
    };
  }

  /**
   * One InvokeAgent call, read to the end. `refused` is true only when the agent answered the
   * call itself with an error that means it never started on it (throttling, quota, access, a
   * missing agent or model, no credentials): nothing ran. A reset, a timeout, a conflict, a
   * server error or a failure in the stream may come after actions ran, so they never are.
   */
  private async invoke(
    input: Omit<InvokeAgentCommandInput, 'agentId' | 'agentAliasId' | 'enableTrace'>,
  ): Promise<AgentTurn | { failed: AppError; refused: boolean }> {
    const { agent, config, logger } = this.deps;
    const started = Date.now();
    let response: InvokeAgentCommandOutput;
    try {
      response = await agent.send(
        new InvokeAgentCommand({
          agentId: config.agent.agentId,
          agentAliasId: config.agent.agentAliasId,
          enableTrace: config.enableTrace,
          ...input,
        }),
        { abortSignal: AbortSignal.timeout(config.agentTimeoutMs) },
      );
    } catch (error) {
      return { failed: agentError(error), refused: refusedBeforeStarting.has((error as Error)?.name) };
    }
    try {
      const turn = await consumeCompletion(response.completion, { logger, logTraces: config.enableTrace });
      logger.info('agent turn', { ms: Date.now() - started, return_control: turn.returnControl !== undefined });
      return turn;
    } catch (error) {
      return { failed: agentError(error), refused: false };
    }
  }

  /**
   * Runs the agent and turns its answer into the API's reply. The stored session is already
   * current for this turn (created, updated or its confirmation taken before the agent runs, so
   * the actions see the fresh token and expiry); the only write left is a new pending confirmation.
   * `onRefused` runs when the agent turned the call down before starting on it.
   */
  private async turn(
    session: Session,
    now: Date,
    input: Pick<InvokeAgentCommandInput, 'inputText'> & { sessionState: SessionState },
    onFailure?: (failure: { failed: AppError; refused: boolean }) => Promise<AppError>,
  ): Promise<ChatResponse> {
    const turn = await this.invoke({ sessionId: session.sessionId, ...input });
    if ('failed' in turn) throw onFailure ? await onFailure(turn) : turn.failed;
    let pending: PendingConfirmation | undefined;
    if (turn.returnControl) {
      // The action Lambdas may have refreshed the project list during this turn: read it for the summary.
      const fresh = (await this.deps.sessions.get(session.sessionId)) ?? session;
      pending = pendingFromReturnControl(turn.returnControl, fresh, now);
      await this.deps.sessions.update(session.sessionId, { pendingConfirmation: pending }, now);
    }
    return pending
      ? {
          type: 'confirmation_required',
          session_id: session.sessionId,
          reply: turn.text,
          confirmation: {
            confirmation_id: pending.confirmationId,
            operation: pending.operation,
            summary: pending.summary,
            details: pending.details,
          },
        }
      : { type: 'reply', session_id: session.sessionId, reply: turn.text };
  }

  async sendMessage(
    who: CustomerIdentity,
    pf360Token: string | undefined,
    request: ChatRequest,
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
          stage: this.deps.config.stage,
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
    return this.turn(session, now, {
      inputText: request.message,
      sessionState: this.sessionState(session, now),
    });
  }

  async answerConfirmation(
    who: CustomerIdentity,
    pf360Token: string | undefined,
    request: ConfirmRequest,
  ): Promise<ChatResponse> {
    const now = this.deps.clock();
    const session = await this.deps.sessions.get(request.session_id);
    if (!session || isExpired(session, now)) {
      throw new AppError('session_not_found');
    }
    if (!owns(session, who)) throw forbidden();
    this.deps.logger.appendKeys({ session: sessionRef(session.sessionId) });
    // The confirmed change is made with the session's token: store a fresh one first.
    if (pf360Token && pf360Token !== session.authToken) {
      await this.deps.sessions.update(session.sessionId, { authToken: pf360Token }, now);
    }
    const taken = await this.deps.sessions.takePendingConfirmation(session.sessionId, request.confirmation_id, now);
    const pending = taken?.pending;
    if (!taken || !pending) {
      throw new AppError('confirmation_not_found');
    }
    this.deps.logger.info('confirmation answered', { operation: pending.operation, decision: request.decision });
    return this.turn(
      session,
      now,
      {
        sessionState: {
          ...this.sessionState(session, now),
          invocationId: pending.invocationId,
          returnControlInvocationResults: confirmationResults(pending, request.decision),
        },
      },
      async ({ failed, refused }) => {
        if (refused) {
          // Nothing ran: open the question again (unless a newer message replaced it), so that
          // trying again, as the message says, works.
          await this.deps.sessions.releasePendingConfirmation(session.sessionId, pending.confirmationId, taken.claim);
          return failed;
        }
        // The agent may have carried out the answer before failing: do not invite a blind retry.
        return new AppError('agent_outcome_unknown', undefined, { cause: failed });
      },
    );
  }
}

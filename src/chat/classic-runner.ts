/**
 * The agent as Bedrock Agents (Classic) runs it: InvokeAgent on the supervisor alias, the
 * completion stream read to the end, returnControl for the writes marked x-requireConfirmation,
 * and the customer's answer sent back as CONFIRM or DENY.
 */
import {
  type BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type InvokeAgentCommandInput,
  type InvokeAgentCommandOutput,
  type SessionState,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { AppError } from '../domain/errors.js';
import type { AgentResume, Session } from '../domain/session.js';
import { dateIn } from '../domain/time.js';
import type { Logger } from '../observability/logger.js';
import { type AgentReply, type AgentRunner, AgentTurnError, type TurnSink } from './agent-runner.js';
import { changesFromReturnControl, confirmationResults } from './confirmations.js';
import { agentError, consumeCompletion } from './stream.js';

export interface ClassicRunnerOptions {
  agent: Pick<BedrockAgentRuntimeClient, 'send'>;
  agentId: string;
  agentAliasId: string;
  enableTrace: boolean;
  timeoutMs: number;
  defaultTimeZone: string;
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

export class ClassicAgentRunner implements AgentRunner {
  constructor(private readonly options: ClassicRunnerOptions) {}

  /** Non-secret identity for the action Lambdas (the model cannot read session attributes) and the day's context. */
  private sessionState(session: Session): SessionState {
    const timeZone = session.timeZone ?? this.options.defaultTimeZone;
    return {
      sessionAttributes: { customer_id: session.customerId, client_id: session.clientId },
      promptSessionAttributes: {
        today: dateIn(this.options.clock(), timeZone),
        time_zone: timeZone,
        ...(session.firstName ? { customer_first_name: session.firstName } : {}),
      },
    };
  }

  /**
   * One InvokeAgent call, read to the end. Only an error the agent answered the call itself with,
   * meaning it never started on it, counts as nothing having run: a reset, a timeout, a conflict,
   * a server error or a failure in the stream may come after actions ran.
   */
  private async invoke(
    session: Session,
    input: Pick<InvokeAgentCommandInput, 'inputText'> & { sessionState: SessionState },
    sink: TurnSink,
  ): Promise<AgentReply> {
    const { agent, logger } = this.options;
    const started = Date.now();
    let response: InvokeAgentCommandOutput;
    try {
      response = await agent.send(
        new InvokeAgentCommand({
          agentId: this.options.agentId,
          agentAliasId: this.options.agentAliasId,
          enableTrace: this.options.enableTrace,
          sessionId: session.sessionId,
          ...input,
        }),
        { abortSignal: AbortSignal.timeout(this.options.timeoutMs) },
      );
    } catch (error) {
      throw new AgentTurnError(agentError(error), refusedBeforeStarting.has((error as Error)?.name));
    }
    try {
      const turn = await consumeCompletion(response.completion, {
        logger,
        logTraces: this.options.enableTrace,
        onText: (text) => sink.text(text),
      });
      logger.info('agent turn', { ms: Date.now() - started, return_control: turn.returnControl !== undefined });
      return turn.returnControl
        ? { text: turn.text, confirmation: changesFromReturnControl(turn.returnControl) }
        : { text: turn.text };
    } catch (error) {
      throw new AgentTurnError(agentError(error), false);
    }
  }

  send(session: Session, message: string, sink: TurnSink): Promise<AgentReply> {
    return this.invoke(session, { inputText: message, sessionState: this.sessionState(session) }, sink);
  }

  answer(session: Session, resume: AgentResume, decision: 'confirm' | 'deny', sink: TurnSink) {
    if (resume.kind !== 'returnControl') {
      // Asked by the code-defined agent before the stage moved to Classic: nothing Bedrock can answer.
      return Promise.reject(new AppError('confirmation_not_found'));
    }
    return this.invoke(
      session,
      {
        sessionState: {
          ...this.sessionState(session),
          invocationId: resume.invocationId,
          returnControlInvocationResults: confirmationResults(resume, decision),
        },
      },
      sink,
    );
  }
}

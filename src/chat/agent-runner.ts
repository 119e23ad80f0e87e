/**
 * What the chat backend needs from an agent, whatever runs it: Bedrock Agents (Classic), the
 * code-defined agent in-process (the local stack), or the same agent on AgentCore Runtime. The
 * chat service keeps every duty of the front door — the session bound to the customer, the rate
 * limit, pending confirmations and their single use — and asks the runner only for the turn.
 */
import type { AppError } from '../domain/errors.js';
import type { AgentResume, Session } from '../domain/session.js';

/** Where a turn's words go as they are generated (the streamed chat API); the JSON API ignores them. */
export interface TurnSink {
  text(delta: string): void;
}

export const silentSink: TurnSink = { text: () => undefined };

/** A change the agent wants to make: the operation and its values, as the tool call gave them. */
export interface ProposedChange {
  operation: string;
  values: Record<string, string>;
}

export interface AgentReply {
  text: string;
  /** Set when the turn stopped for the customer's yes or no. */
  confirmation?: { changes: ProposedChange[]; resume: AgentResume };
}

/**
 * The agent failed. `nothingRan`: it failed before it could have acted on the customer's answer
 * (throttled, refused, or a change that never ran), so the question may be asked again.
 */
export class AgentTurnError extends Error {
  override name = 'AgentTurnError';
  constructor(
    readonly failed: AppError,
    readonly nothingRan: boolean,
  ) {
    super(failed.message, { cause: failed });
  }
}

export interface AgentRunner {
  /** One customer message; throws AgentTurnError. */
  send(session: Session, message: string, sink: TurnSink): Promise<AgentReply>;
  /** The customer's answer to the paused turn that `resume` names (the pending confirmation's); throws AgentTurnError. */
  answer(session: Session, resume: AgentResume, decision: 'confirm' | 'deny', sink: TurnSink): Promise<AgentReply>;
}

/**
 * The wire form of one turn between the chat backend and the agent's runtime
 * (openapi/agentcore-runtime.yaml): what the caller sends, and the events it reads back. Both
 * sides use these functions, so the two ends of the contract cannot drift apart.
 */
import type { components } from '../../../generated/types/agentcore-runtime.js';
import * as validators from '../../../generated/validators/agentcore-runtime.cjs';
import type { AgentReply } from '../../chat/agent-runner.js';
import { AgentTurnError } from '../../chat/agent-runner.js';
import { AppError, isErrorCode, toErrorResponse } from '../../domain/errors.js';
import type { AgentResume } from '../../domain/session.js';
import { assertValid } from '../../edge/validation.js';

type Schemas = components['schemas'];
export type InvocationRequest = Schemas['InvocationRequest'];
export type WireReply = Schemas['Reply'];
export type WireTurnError = Schemas['TurnError'];
type WireInterrupt = Schemas['Interrupt'];
type Interrupt = Extract<AgentResume, { kind: 'interrupts' }>['interrupts'][number];

/** The header AgentCore carries the runtime session in; the local caller sends it the same way. */
export const sessionHeader = 'x-amzn-bedrock-agentcore-runtime-session-id';

export function validInvocation(body: unknown): InvocationRequest {
  assertValid<InvocationRequest>(validators.InvocationRequest, body);
  const request = body as InvocationRequest;
  if ((request.message === undefined) === (request.answer === undefined)) {
    throw new AppError('validation_error', 'Send either a message or an answer.', { field: 'body' });
  }
  return request;
}

const toWire = (i: Interrupt): WireInterrupt => ({
  interrupt_id: i.interruptId,
  tool: i.tool,
  input_digest: i.inputDigest,
});
const fromWire = (i: WireInterrupt): Interrupt => ({
  interruptId: i.interrupt_id,
  tool: i.tool,
  inputDigest: i.input_digest,
});

/** The answer to a paused turn, as the runner takes it. */
export function resumeOf(answer: NonNullable<InvocationRequest['answer']>): AgentResume {
  return { kind: 'interrupts', interrupts: answer.interrupts.map(fromWire) };
}

/** The request that answers a paused turn; only the code-defined agent's interrupts can be answered here. */
export function answerRequest(sessionId: string, resume: AgentResume, decision: 'confirm' | 'deny'): InvocationRequest {
  if (resume.kind !== 'interrupts') throw new AppError('confirmation_not_found');
  return { session_id: sessionId, answer: { decision, interrupts: resume.interrupts.map(toWire) } };
}

export function replyToWire(reply: AgentReply): WireReply {
  const { confirmation } = reply;
  if (!confirmation) return { text: reply.text };
  if (confirmation.resume.kind !== 'interrupts') throw new Error('the code-defined agent pauses with interrupts');
  return {
    text: reply.text,
    confirmation: { changes: confirmation.changes, interrupts: confirmation.resume.interrupts.map(toWire) },
  };
}

export function replyFromWire(data: unknown): AgentReply {
  assertValid<WireReply>(validators.Reply, data);
  const reply = data as WireReply;
  if (!reply.confirmation) return { text: reply.text };
  return {
    text: reply.text,
    confirmation: {
      changes: reply.confirmation.changes,
      resume: { kind: 'interrupts', interrupts: reply.confirmation.interrupts.map(fromWire) },
    },
  };
}

/**
 * What failed, for the `error` event: the body and status the chat answers with, and — when the
 * agent itself failed — whether nothing ran, which decides if a confirmation may be asked again.
 */
export function errorToWire(error: unknown, logger?: Parameters<typeof toErrorResponse>[1]): WireTurnError {
  const failure = error instanceof AgentTurnError ? error.failed : error;
  const { status, body, retryAfterSeconds } = toErrorResponse(failure, logger);
  return {
    status,
    ...body,
    ...(error instanceof AgentTurnError ? { nothing_ran: error.nothingRan } : {}),
    ...(retryAfterSeconds === undefined ? {} : { retry_after_seconds: retryAfterSeconds }),
  };
}

/** The `error` event back as the error it was thrown as (an unknown code becomes agent_error). */
export function errorFromWire(data: unknown): AppError | AgentTurnError {
  assertValid<WireTurnError>(validators.TurnError, data);
  const wire = data as WireTurnError;
  const failed = isErrorCode(wire.error_type)
    ? new AppError(wire.error_type, wire.error, {
        ...(wire.retry_after_seconds === undefined ? {} : { retryAfterSeconds: wire.retry_after_seconds }),
      })
    : new AppError('agent_error');
  return wire.nothing_ran === undefined ? failed : new AgentTurnError(failed, wire.nothing_ran);
}

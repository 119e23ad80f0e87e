/**
 * Reads an InvokeAgent completion stream to the end. Every member is handled: text chunks are
 * joined, traces are summarised for the logs (names of steps and actions only, never text or
 * values), returnControl is kept for the confirmation flow, files are ignored, and errors — which
 * the JS SDK throws from the iterator, possibly after some text — become AppErrors. Partial text
 * from a failed stream is dropped: it is never returned as an answer.
 */
import type { ResponseStream, ReturnControlPayload, TracePart } from '@aws-sdk/client-bedrock-agent-runtime';
import { AppError } from '../domain/errors.js';
import type { Logger } from '../observability/logger.js';

export interface AgentTurn {
  text: string;
  returnControl?: ReturnControlPayload;
}

/** 429 from the agent (model throttling); Retry-After comes with it. */
export class AgentThrottledError extends AppError {
  override name = 'AgentThrottledError';
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'agent_throttled', 'The assistant is very busy right now; please wait a few seconds and try again.');
  }
}

const streamErrors: Record<string, { status: number; type: string; message: string }> = {
  ValidationException: {
    status: 400,
    type: 'agent_validation_error',
    message: 'The assistant could not accept that message; please rephrase it and try again.',
  },
  DependencyFailedException: {
    status: 502,
    type: 'agent_dependency_failed',
    message: 'The assistant could not complete that request because one of its systems failed; please try again.',
  },
  BadGatewayException: {
    status: 502,
    type: 'agent_bad_gateway',
    message: 'The assistant could not complete that request; please try again.',
  },
  InternalServerException: {
    status: 502,
    type: 'agent_error',
    message: 'The assistant had an internal problem; please try again.',
  },
  ModelNotReadyException: {
    status: 503,
    type: 'agent_not_ready',
    message: 'The assistant is starting up; please try again in a minute.',
  },
  ServiceQuotaExceededException: {
    status: 429,
    type: 'agent_quota_exceeded',
    message: 'The assistant has reached its capacity for now; please try again shortly.',
  },
  ConflictException: {
    status: 409,
    type: 'agent_conflict',
    message: 'The conversation is busy with another message; wait for its answer and try again.',
  },
  AccessDeniedException: {
    status: 502,
    type: 'agent_access_denied',
    message: 'The assistant is not reachable from this service right now; please try again later.',
  },
  ResourceNotFoundException: {
    status: 502,
    type: 'agent_not_found',
    message: 'The assistant is not reachable from this service right now; please try again later.',
  },
};

const timeoutNames = new Set(['AbortError', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

/** Default wait when the service does not say how long to back off. */
export const throttleRetryAfterSeconds = 5;

/** Any InvokeAgent failure (initial call or mid-stream) as an AppError with a clear sentence. */
export function agentError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'ThrottlingException') return new AgentThrottledError(throttleRetryAfterSeconds);
  if (timeoutNames.has(name)) {
    return new AppError(504, 'agent_timeout', 'The assistant took too long to answer; please try again.', {
      cause: error,
    });
  }
  if (name === 'CredentialsProviderError') {
    return new AppError(
      503,
      'agent_not_configured',
      'No agent is reachable: provide AWS credentials (and AGENT_ID, AGENT_ALIAS_ID, AWS_REGION) to the chat backend.',
      { cause: error },
    );
  }
  const known = streamErrors[name];
  if (known) return new AppError(known.status, known.type, known.message, { cause: error });
  return new AppError(502, 'agent_error', 'The assistant could not complete that request; please try again.', {
    cause: error,
  });
}

/** Which steps a trace shows, without any text or parameter values (safe to log). */
export function traceSummary(trace: TracePart | undefined): Record<string, unknown> {
  const t = trace?.trace as Record<string, Record<string, unknown>> | undefined;
  const step = t ? Object.keys(t)[0] : undefined;
  const body = step ? t?.[step] : undefined;
  const invocation = body?.invocationInput as
    | { actionGroupInvocationInput?: Record<string, unknown>; invocationType?: string }
    | undefined;
  const observation = body?.observation as { type?: string } | undefined;
  return {
    step,
    agent_id: trace?.agentId,
    collaborator: trace?.collaboratorName,
    ...(invocation?.invocationType ? { invocation_type: invocation.invocationType } : {}),
    ...(invocation?.actionGroupInvocationInput
      ? {
          action_group: invocation.actionGroupInvocationInput.actionGroupName,
          api_path: invocation.actionGroupInvocationInput.apiPath,
        }
      : {}),
    ...(observation?.type ? { observation: observation.type } : {}),
  };
}

export async function consumeCompletion(
  completion: AsyncIterable<ResponseStream> | undefined,
  options: { logger: Logger; logTraces: boolean },
): Promise<AgentTurn> {
  if (!completion) throw agentError(new Error('empty completion'));
  const decoder = new TextDecoder();
  let text = '';
  let returnControl: ReturnControlPayload | undefined;
  try {
    for await (const event of completion) {
      if (event.chunk) {
        text += decoder.decode(event.chunk.bytes ?? new Uint8Array(), { stream: true });
      } else if (event.trace) {
        if (options.logTraces) options.logger.debug('agent trace', traceSummary(event.trace));
      } else if (event.returnControl) {
        returnControl = event.returnControl;
      } else if (event.files) {
        options.logger.debug('agent sent files, ignored', { count: event.files.files?.length ?? 0 });
      } else {
        // Error members, when a client surfaces them as events instead of throwing.
        const [member, value] = Object.entries(event).find(([, v]) => v !== undefined) ?? [];
        if (member) {
          const name = member.charAt(0).toUpperCase() + member.slice(1);
          throw Object.assign(new Error((value as { message?: string })?.message ?? member), { name });
        }
      }
    }
    text += decoder.decode();
  } catch (error) {
    const mapped = agentError(error);
    options.logger.warn('agent stream failed', {
      error_type: mapped.errorType,
      partial_text_dropped: text.length > 0,
      cause: error instanceof Error ? error.name : 'unknown',
    });
    throw mapped;
  }
  return returnControl ? { text, returnControl } : { text };
}

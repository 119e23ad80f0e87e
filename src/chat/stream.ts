/**
 * Reads an InvokeAgent completion stream to the end. Every member is handled: text chunks are
 * joined, traces are summarised for the logs (names of steps and actions only, never text or
 * values), returnControl is kept for the confirmation flow, files are ignored, and errors — which
 * the JS SDK throws from the iterator, possibly after some text — become AppErrors. Partial text
 * from a failed stream is dropped: it is never returned as an answer.
 */
import type { ResponseStream, ReturnControlPayload, TracePart } from '@aws-sdk/client-bedrock-agent-runtime';
import { AppError, type ErrorCode } from '../domain/errors.js';
import type { Logger } from '../observability/logger.js';

export interface AgentTurn {
  text: string;
  returnControl?: ReturnControlPayload;
}

/** InvokeAgent's and InvokeAgentRuntime's exception names and the error each becomes. */
const streamErrors: Record<string, ErrorCode> = {
  ThrottlingException: 'agent_throttled',
  ValidationException: 'agent_validation_error',
  DependencyFailedException: 'agent_dependency_failed',
  BadGatewayException: 'agent_bad_gateway',
  InternalServerException: 'agent_error',
  ModelNotReadyException: 'agent_not_ready',
  ServiceQuotaExceededException: 'agent_quota_exceeded',
  ConflictException: 'agent_conflict',
  // InvokeAgentRuntime: the runtime session is busy with another invocation.
  RetryableConflictException: 'agent_conflict',
  AccessDeniedException: 'agent_access_denied',
  ResourceNotFoundException: 'agent_not_found',
  AbortError: 'agent_timeout',
  TimeoutError: 'agent_timeout',
  RequestTimeout: 'agent_timeout',
  RequestTimeoutException: 'agent_timeout',
};

/** Default wait when the service does not say how long to back off. */
export const throttleRetryAfterSeconds = 5;

/** Any InvokeAgent or InvokeAgentRuntime failure (initial call or mid-stream) as an AppError with a clear sentence. */
export function agentError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'CredentialsProviderError') {
    return new AppError(
      'agent_not_configured',
      'No agent is reachable: provide AWS credentials and AWS_REGION to the chat backend.',
      { cause: error },
    );
  }
  const code = Object.hasOwn(streamErrors, name) ? streamErrors[name] : undefined;
  return new AppError(code ?? 'agent_error', undefined, {
    cause: error,
    ...(code === 'agent_throttled' ? { retryAfterSeconds: throttleRetryAfterSeconds } : {}),
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
  options: { logger: Logger; logTraces: boolean; onText?: (text: string) => void },
): Promise<AgentTurn> {
  if (!completion) throw agentError(new Error('empty completion'));
  const decoder = new TextDecoder();
  let text = '';
  let returnControl: ReturnControlPayload | undefined;
  try {
    for await (const event of completion) {
      if (event.chunk) {
        const piece = decoder.decode(event.chunk.bytes ?? new Uint8Array(), { stream: true });
        text += piece;
        if (piece) options.onText?.(piece);
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

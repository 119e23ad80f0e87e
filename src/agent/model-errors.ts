/**
 * Whatever a Strands agent invocation throws — for the OpenAI-compatible and the Bedrock model
 * alike — as the AppError the chat answers with. The SDK wraps every provider failure in a
 * `ModelError` whose `cause` is the provider's own error, so the whole cause chain is read:
 *
 * - openai errors by class (`instanceof`: their `name` is just "Error", and minifiers rename
 *   classes), with their HTTP `status`, `code` and response `headers`;
 * - AWS SDK exceptions by `name` (stable, set by the SDK), with `$metadata.httpStatusCode`.
 *
 * The sentence is the catalog's (it reaches the customer): never the provider's message or a
 * stack. The original error stays the `cause`, for the logs.
 */
import { ModelThrottledError } from '@strands-agents/sdk';
import { APIConnectionTimeoutError, APIError } from 'openai/error';
import { AppError } from '../domain/errors.js';

/** Wait suggested on a throttle when the provider does not say how long. */
const defaultRetryAfterSeconds = 5;

const notConfiguredMessage =
  "No assistant is reachable: provide the model provider's credentials to the chat backend (for Bedrock: AWS credentials and AWS_REGION).";

const quotaNames = new Set(['ServiceQuotaExceededException']);
const credentialsMissingNames = new Set(['CredentialsProviderError', 'TokenProviderError']);
const throttleNames = new Set(['ThrottlingException', 'TooManyRequestsException']);
const timeoutNames = new Set([
  'ModelTimeoutException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);
const accessDeniedNames = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
]);

interface Facts {
  error: unknown;
  name: string | undefined;
  status: number | undefined;
  code: string | undefined;
}

export function modelError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const chain = causes(error).map(facts);
  const any = (test: (f: Facts) => boolean) => chain.some(test);
  const named = (names: Set<string>) => any((f) => f.name !== undefined && names.has(f.name));
  const options = { cause: error };

  if (named(quotaNames) || any((f) => f.code === 'insufficient_quota')) {
    return new AppError('agent_quota_exceeded', undefined, options);
  }
  if (named(credentialsMissingNames)) return new AppError('agent_not_configured', notConfiguredMessage, options);
  if (error instanceof ModelThrottledError || named(throttleNames) || any((f) => f.status === 429)) {
    const retryAfterSeconds = chain.map((f) => retryAfter(f.error)).find((s) => s !== undefined);
    return new AppError('agent_throttled', undefined, {
      ...options,
      retryAfterSeconds: retryAfterSeconds ?? defaultRetryAfterSeconds,
    });
  }
  if (
    named(timeoutNames) ||
    any((f) => f.error instanceof APIConnectionTimeoutError || f.status === 408 || f.status === 504)
  ) {
    return new AppError('agent_timeout', undefined, options);
  }
  if (named(accessDeniedNames) || any((f) => f.status === 401 || f.status === 403)) {
    return new AppError('agent_access_denied', undefined, options);
  }
  // As the chat API answers the same conditions from Bedrock Agents (src/chat/stream.ts).
  if (named(new Set(['ModelNotReadyException']))) return new AppError('agent_not_ready', undefined, options);
  if (named(new Set(['ResourceNotFoundException']))) return new AppError('agent_not_found', undefined, options);
  // Two turns of one conversation at once in this process: the second waits for nothing.
  if (named(new Set(['ConcurrentInvocationError']))) return new AppError('agent_conflict', undefined, options);
  return new AppError('agent_error', undefined, options);
}

/** The error and its causes, outermost first (bounded, and safe against cycles). */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 8 && !chain.includes(e); ) {
    chain.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  return chain;
}

function facts(error: unknown): Facts {
  const record = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const metadata = record.$metadata as { httpStatusCode?: unknown } | undefined;
  const awsStatus = typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
  const openaiStatus = error instanceof APIError ? error.status : undefined;
  const code = error instanceof APIError ? error.code : record.code;
  return {
    error,
    name: typeof record.name === 'string' ? record.name : undefined,
    status: openaiStatus ?? awsStatus,
    code: typeof code === 'string' ? code : undefined,
  };
}

/** Seconds from Retry-After (seconds or an HTTP date) or retry-after-ms, at least 1. */
function retryAfter(error: unknown): number | undefined {
  const seconds = header(error, 'retry-after');
  if (seconds !== undefined) {
    const trimmed = seconds.trim();
    const value = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : (Date.parse(trimmed) - Date.now()) / 1000;
    if (Number.isFinite(value)) return Math.max(1, Math.ceil(value));
  }
  const ms = header(error, 'retry-after-ms')?.trim();
  return ms !== undefined && /^\d+(\.\d+)?$/.test(ms) ? Math.max(1, Math.ceil(Number(ms) / 1000)) : undefined;
}

/** A response header from an openai error (`headers`) or an AWS one (`$response.headers`). */
function header(error: unknown, name: string): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as { headers?: unknown; $response?: { headers?: unknown } };
  for (const headers of [record.headers, record.$response?.headers]) {
    if (headers instanceof Headers) {
      const value = headers.get(name);
      if (value !== null) return value;
    } else if (typeof headers === 'object' && headers !== null) {
      const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
      if (typeof entry?.[1] === 'string') return entry[1];
    }
  }
  return undefined;
}

/**
 * Every error this service answers with, in one catalog: its HTTP status and a default sentence.
 * An AppError names its code from here (a typo does not compile), and `toErrorResponse` is the one
 * function that turns anything thrown into `{ status, body }` — the Bedrock edge, the chat API,
 * the AgentCore Gateway target and the tool invoker all answer through it, so one error has one
 * status everywhere. `test/contract/error-catalog.test.ts` checks the catalog against the specs:
 * every code is documented in their error responses, under its own status, and every documented
 * code exists here.
 *
 * The sentences are written for whoever reads them next: the model for action errors (it relays
 * them), the customer for chat errors. Operations usually pass a more specific sentence.
 */
import type { Logger } from '../observability/logger.js';

interface CatalogEntry {
  readonly status: number;
  readonly message: string;
}

export const errorCatalog = {
  // 400: the input is malformed.
  validation_error: { status: 400, message: 'A value in the request is missing or malformed.' },
  invalid_event: { status: 400, message: 'The action request was not an object.' },
  agent_validation_error: {
    status: 400,
    message: 'The assistant could not accept that message; please rephrase it and try again.',
  },
  // 401: who is asking is unknown.
  session_missing: { status: 401, message: 'There is no active session; ask the customer to sign in again.' },
  session_expired: { status: 401, message: 'The session expired; please sign in again.' },
  unauthorized: { status: 401, message: 'Your sign-in could not be verified; please sign in again.' },
  token_expired: { status: 401, message: 'Your sign-in has expired; please sign in again.' },
  // 403: it is someone else's.
  forbidden: { status: 403, message: 'That belongs to another customer.' },
  // 404: there is no such thing.
  not_found: { status: 404, message: 'There is no such record.' },
  project_not_found: { status: 404, message: "That project is not in the customer's project list." },
  location_not_found: { status: 404, message: 'The place could not be found for a forecast.' },
  unknown_operation: { status: 404, message: 'There is no such action; use one of the actions declared.' },
  unknown_tool: { status: 404, message: 'There is no such tool; use one of the tools listed.' },
  session_not_found: {
    status: 404,
    message: 'This conversation has ended; send a new message to start again.',
  },
  confirmation_not_found: {
    status: 404,
    message: 'This confirmation is not pending any more (already answered or replaced); send a new message instead.',
  },
  // 405, 413: the HTTP request itself.
  method_not_allowed: { status: 405, message: 'Use POST.' },
  too_large: { status: 413, message: 'The request body is too large.' },
  // 409: a precondition is not met, or the same thing is already under way.
  dates_not_fetched: {
    status: 409,
    message: 'No dates have been offered for this project yet; call get_available_dates first.',
  },
  date_not_offered: { status: 409, message: 'That date was not offered; offer one of the dates offered.' },
  slots_not_fetched: {
    status: 409,
    message: 'No time slots have been offered for that date yet; call get_time_slots first.',
  },
  slot_not_offered: { status: 409, message: 'That time was not offered; use one of the offered slots exactly.' },
  slot_taken: { status: 409, message: 'The slot was just taken; call get_time_slots again and offer another time.' },
  already_scheduled: {
    status: 409,
    message: 'The project already has an appointment; use reschedule_appointment to move it.',
  },
  not_scheduled: { status: 409, message: 'The project has no appointment.' },
  project_closed: { status: 409, message: 'The project is closed; it cannot be scheduled.' },
  write_in_progress: {
    status: 409,
    message:
      'The same change is already being made right now; wait a moment, then check the status instead of repeating it.',
  },
  confirmation_mismatch: {
    status: 409,
    message:
      'This confirmation_id was issued for a different change, so nothing was changed. Call the tool again without confirmation_id, read the new summary to the customer and get their yes.',
  },
  confirmation_expired: {
    status: 409,
    message:
      'This confirmation_id has expired, so nothing was changed. Call the tool again without confirmation_id, read the new summary to the customer and get their yes.',
  },
  agent_conflict: {
    status: 409,
    message: 'The conversation is busy with another message; wait for its answer and try again.',
  },
  // 429: too much, too fast.
  rate_limited: { status: 429, message: 'Too many messages in a short time; please wait a moment and try again.' },
  agent_throttled: {
    status: 429,
    message: 'The assistant is very busy right now; please wait a few seconds and try again.',
  },
  agent_quota_exceeded: {
    status: 429,
    message: 'The assistant has reached its capacity for now; please try again shortly.',
  },
  // 500: our side failed.
  internal_error: { status: 500, message: 'Something went wrong on our side; please try again later.' },
  storage_unavailable: {
    status: 500,
    message: 'A storage service is temporarily unavailable; nothing was changed. Please try again in a minute.',
  },
  response_too_large: { status: 500, message: 'The answer was too large to return; ask for something narrower.' },
  // 502: a system we call failed.
  upstream_error: { status: 502, message: 'The scheduling system is having a problem right now.' },
  upstream_invalid_response: { status: 502, message: 'The scheduling system sent an answer that could not be used.' },
  upstream_unauthorized: {
    status: 502,
    message: "The scheduling system no longer accepts this customer's sign-in; ask them to sign in again.",
  },
  upstream_unreachable: { status: 502, message: 'The scheduling system could not be reached.' },
  upstream_rejected: { status: 502, message: 'The scheduling system rejected the request; nothing was changed.' },
  upstream_busy: { status: 502, message: 'The scheduling system is busy right now; please try again in a minute.' },
  weather_error: { status: 502, message: 'The weather service is not answering properly right now.' },
  weather_invalid_response: { status: 502, message: 'The weather service sent an answer that could not be used.' },
  agent_error: { status: 502, message: 'The assistant could not complete that request; please try again.' },
  agent_dependency_failed: {
    status: 502,
    message: 'The assistant could not complete that request because one of its systems failed; please try again.',
  },
  agent_bad_gateway: { status: 502, message: 'The assistant could not complete that request; please try again.' },
  agent_access_denied: {
    status: 502,
    message: 'The assistant is not reachable from this service right now; please try again later.',
  },
  agent_not_found: {
    status: 502,
    message: 'The assistant is not reachable from this service right now; please try again later.',
  },
  unexpected_return_control: {
    status: 502,
    message: 'The assistant asked for something this service cannot handle; please try again.',
  },
  agent_outcome_unknown: {
    status: 502,
    message:
      'The assistant stopped before reporting the outcome, so the change may or may not have been made; send a message such as "what is the status of my appointment?" to check before trying again.',
  },
  // 503: not available at all right now.
  agent_not_configured: { status: 503, message: 'No assistant is configured for the chat.' },
  agent_not_ready: { status: 503, message: 'The assistant is starting up; please try again in a minute.' },
  auth_unavailable: { status: 503, message: 'Sign-in cannot be checked right now; please try again in a minute.' },
  // 504: a system we call did not answer in time.
  upstream_timeout: { status: 504, message: 'The scheduling system did not answer in time.' },
  agent_timeout: { status: 504, message: 'The assistant took too long to answer; please try again.' },
} as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof errorCatalog;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalog, value);
}

export interface AppErrorOptions {
  cause?: unknown;
  /** For validation errors: the field at fault. */
  field?: string;
  /** For 429s: seconds the caller should wait (becomes Retry-After). */
  retryAfterSeconds?: number;
  /** The status an upstream answered with, for logs. */
  upstreamStatus?: number;
}

/** An error the caller can act on: a catalog code, its status, and a sentence. */
export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  readonly field?: string;
  readonly retryAfterSeconds?: number;
  readonly upstreamStatus?: number;

  constructor(
    readonly errorType: ErrorCode,
    message: string = errorCatalog[errorType].message,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = errorCatalog[errorType].status;
    if (options.field !== undefined) this.field = options.field;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
    if (options.upstreamStatus !== undefined) this.upstreamStatus = options.upstreamStatus;
  }
}

/** 400 naming the offending field. */
export function validationError(message: string, field?: string): AppError {
  return new AppError('validation_error', message, field === undefined ? {} : { field });
}

export type ErrorBody = {
  error: string;
  error_type: ErrorCode;
  field?: string;
};

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** Set for 429s: the Retry-After the caller should be told. */
  retryAfterSeconds?: number;
}

export function errorBody(errorType: ErrorCode, message: string = errorCatalog[errorType].message): ErrorBody {
  return { error: message, error_type: errorType };
}

/**
 * Anything thrown → the answer. An AppError keeps its code, sentence and field; anything else is
 * logged (by its type only when it is not an Error: a thrown value may carry personal data) and
 * answered as a generic 500 whose details stay in the logs.
 */
export function toErrorResponse(error: unknown, logger?: Pick<Logger, 'error'>): ErrorResponse {
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: { ...errorBody(error.errorType, error.message), ...(error.field ? { field: error.field } : {}) },
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    };
  }
  if (error instanceof Error) logger?.error('failed unexpectedly', error);
  else logger?.error('failed unexpectedly', { thrown: typeof error });
  return { status: errorCatalog.internal_error.status, body: errorBody('internal_error') };
}

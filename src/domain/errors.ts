/**
 * Errors the agent can act on. Each carries the HTTP-like status of design §4 and a stable
 * snake_case `errorType`; `message` is a sentence the agent can relay. The Bedrock edge turns
 * them into envelopes; anything that is not an AppError becomes a generic 500 (details in logs).
 */

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 400: the input is malformed; `field` names the offending parameter. */
export class ValidationError extends AppError {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(400, 'validation_error', message);
  }
}

/** 401: no session, or it expired. */
export class SessionError extends AppError {
  override name = 'SessionError';
  constructor(errorType: 'session_missing' | 'session_expired', message: string) {
    super(401, errorType, message);
  }
}

export class ForbiddenError extends AppError {
  override name = 'ForbiddenError';
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  constructor(errorType: string, message: string) {
    super(404, errorType, message);
  }
}

/** 409: a precondition is not met (call another action first) or the write is in progress. */
export class ConflictError extends AppError {
  override name = 'ConflictError';
  constructor(errorType: string, message: string) {
    super(409, errorType, message);
  }
}

/** 502: an upstream (PF360, weather) answered with an error or something we cannot use. */
export class UpstreamError extends AppError {
  override name = 'UpstreamError';
  constructor(
    errorType: string,
    message: string,
    readonly upstreamStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(502, errorType, message, options);
  }
}

/** 504: an upstream did not answer in time (after the retries its policy allows). */
export class UpstreamTimeoutError extends AppError {
  override name = 'UpstreamTimeoutError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(504, 'upstream_timeout', message, options);
  }
}

/** 500 with a clear sentence: our own storage (DynamoDB) failed; nothing was changed. */
export class StorageError extends AppError {
  override name = 'StorageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(500, 'storage_unavailable', message, options);
  }
}

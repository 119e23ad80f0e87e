/**
 * One upstream call through openapi-fetch, the same way for every client (PF360, weather): an
 * unreadable body, an HTTP failure and a body that does not match the spec each become an
 * AppError the client chooses, and every call is logged with its status and duration — with
 * operation names and schema paths only, never bodies.
 */
import type { ErrorObject } from 'ajv';
import { AppError } from '../../domain/errors.js';
import type { Logger } from '../../observability/logger.js';

/** What openapi-fetch resolves to: `data` typed by the generated paths. */
export interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export interface UpstreamCall<T> {
  /** Log prefix and key, e.g. "pf360" → "pf360 call" with `pf360_operation`. */
  upstream: string;
  /** The spec file, named when a body does not match it. */
  spec: string;
  operation: string;
  logger: Logger;
  validate: Validator;
  run: () => Promise<FetchResult<T>>;
  /** A 2xx whose body is not JSON (openapi-fetch throws). */
  unreadable: (cause: unknown) => AppError;
  /** A non-2xx answer. */
  failed: (response: Response, error: unknown) => AppError;
  /** A 2xx body that does not match the spec. */
  invalid: (response: Response) => AppError;
}

/** The validated 200 body, typed as the spec declares it (the validator checked it against the same spec). */
export async function callUpstream<T>(call: UpstreamCall<T>): Promise<T> {
  const operationKey = `${call.upstream}_operation`;
  const started = Date.now();
  let result: FetchResult<T>;
  try {
    result = await call.run();
  } catch (error) {
    if (error instanceof AppError) throw error;
    call.logger.warn(`${call.upstream} unreadable response`, {
      [operationKey]: call.operation,
      error: error instanceof Error ? error.name : 'unknown',
    });
    throw call.unreadable(error);
  }
  const { response } = result;
  call.logger.info(`${call.upstream} call`, {
    [operationKey]: call.operation,
    status: response.status,
    ms: Date.now() - started,
  });
  if (!response.ok) throw call.failed(response, result.error);
  if (!call.validate(result.data)) {
    call.logger.error(`${call.upstream} response does not match ${call.spec}`, {
      [operationKey]: call.operation,
      violations: (call.validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.keyword}`).slice(0, 10),
    });
    throw call.invalid(response);
  }
  return result.data as T;
}

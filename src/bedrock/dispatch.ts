/**
 * The Bedrock action-group edge: event → route → input → validation → session → operation →
 * session write → envelope. It never throws: every outcome, including a malformed event or a bug,
 * is an envelope (an exception would fail the whole conversation turn with
 * DependencyFailedException). Operations are plain functions and know nothing of Bedrock.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorObject } from 'ajv';
import { type ActionContext, type ActionDeps, identityOf } from '../action-groups/shared/context.js';
import { AppError, SessionError } from '../domain/errors.js';
import { isExpired } from '../domain/session.js';
import { isSessionId } from '../domain/session-id.js';
import { sessionRef } from '../observability/logger.js';
import type { BedrockActionResponse } from './event.js';
import { isRecord, readHeader } from './event.js';
import { collectInput } from './parse.js';
import { buildEnvelope, errorBody } from './response.js';
import type { OperationResult } from './routes.js';
import { toValidationError } from './validation.js';

export interface CatalogOperation {
  readonly operationId: string;
  readonly method: string;
  readonly apiPath: string;
  readonly parameters: readonly { readonly name: string; readonly type: string; readonly description: string }[];
}

interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

// biome-ignore lint/suspicious/noExplicitAny: route inputs are checked by the generated validator.
type AnyOperation = (input: any, context: ActionContext) => Promise<OperationResult<unknown>>;

export interface ActionGroupDefinition {
  group: string;
  catalog: readonly CatalogOperation[];
  validators: Record<string, unknown>;
  routes: Record<string, AnyOperation>;
}

/** The parts of the Lambda context the edge uses. */
export interface InvocationContext {
  awsRequestId?: string;
  getRemainingTimeInMillis?: () => number;
}

export type ActionHandler = (event: unknown, context?: InvocationContext) => Promise<BedrockActionResponse>;

/** Outside Lambda (gateway, tests) an invocation is assumed to have this long. */
const defaultBudgetMs = 30_000;

const internalError =
  'Something went wrong on our side and nothing was changed; apologise and suggest trying again later.';

export function createActionHandler(definition: ActionGroupDefinition, deps: ActionDeps): ActionHandler {
  // Each declared operation with its route and validator, checked once at cold start: a wiring
  // mistake stops the function from starting instead of failing every call.
  const byRoute = new Map(
    definition.catalog.map((operation) => {
      const key = `${operation.method} ${operation.apiPath}`;
      const route = definition.routes[key];
      const validate = definition.validators[operation.operationId] as Validator | undefined;
      if (!route || !validate) throw new Error(`${definition.group}: no route or validator for ${key}`);
      return [key, { operation, route, validate }] as const;
    }),
  );
  const { logger } = deps;

  return async (event, lambdaContext) => {
    const header = readHeader(event);
    const started = Date.now();
    const routeKey = `${header.httpMethod.toUpperCase()} ${header.apiPath}`;
    const { operation, route, validate } = byRoute.get(routeKey) ?? {};
    logger.resetKeys();
    logger.appendKeys({
      correlation_id: lambdaContext?.awsRequestId ?? randomUUID(),
      action_group: definition.group,
      operation: operation?.operationId ?? 'unknown',
      session: header.sessionId ? sessionRef(header.sessionId) : 'none',
    });
    const respond = (status: number, body: unknown, extra: Record<string, unknown> = {}) => {
      const envelope = buildEnvelope(header, status, body, deps.config.maxResponseBytes);
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      logger[level]('action finished', {
        status: envelope.response.httpStatusCode,
        ms: Date.now() - started,
        ...(status >= 400 ? { error_type: (body as { error_type?: string }).error_type } : {}),
        ...extra,
      });
      return envelope;
    };

    try {
      if (!isRecord(event)) return respond(400, errorBody('invalid_event', 'The action request was not an object.'));
      if (!operation || !route || !validate) {
        return respond(
          404,
          errorBody(
            'unknown_operation',
            `There is no ${header.httpMethod || '(no method)'} ${header.apiPath || '(no path)'} action in the ${definition.group} group; use one of the actions it declares.`,
          ),
        );
      }

      const { input, ignored } = collectInput(event, operation.parameters);
      if (!validate(input)) throw toValidationError(validate.errors ?? [], operation.parameters, input);

      const now = deps.clock();
      // An id no session of ours can have (absent, too long, odd characters) has no session:
      // no need to ask DynamoDB, whose key-size limit would turn it into a storage error.
      const session = isSessionId(header.sessionId) ? await deps.sessions.get(header.sessionId) : undefined;
      if (!session) {
        throw new SessionError('session_missing', 'There is no active session; ask the customer to sign in again.');
      }
      if (isExpired(session, now)) {
        throw new SessionError('session_expired', 'The session expired; please sign in again.');
      }
      const context: ActionContext = {
        ...deps,
        sessionId: header.sessionId,
        session,
        now,
        who: identityOf(session),
        remainingMs: () => lambdaContext?.getRemainingTimeInMillis?.() ?? defaultBudgetMs - (Date.now() - started),
      };
      const result = await route(input, context);
      try {
        await deps.sessions.update(header.sessionId, result.sessionPatch ?? {}, now);
      } catch (error) {
        // The PF360 change happened; reporting failure would invite a second booking.
        if (!result.changedUpstream) throw error;
        logger.error('session update failed after an upstream change', {
          error: error instanceof Error ? error.name : 'unknown',
        });
      }
      return respond(200, result.body, ignored.length ? { ignored_parameters: ignored } : {});
    } catch (error) {
      if (error instanceof AppError) {
        return respond(error.status, errorBody(error.errorType, error.message), {
          ...(error.cause instanceof Error ? { cause: error.cause.name } : {}),
        });
      }
      if (error instanceof Error) logger.error('action failed unexpectedly', error);
      else logger.error('action failed unexpectedly', { thrown: typeof error });
      return respond(500, errorBody('internal_error', internalError));
    }
  };
}

/**
 * The Bedrock action-group edge: event → route → input → validation → session → operation (a
 * read directly, a write through the write stack) → session write → envelope. It never throws:
 * every outcome, including a malformed event or a bug, is an envelope (an exception would fail
 * the whole conversation turn with DependencyFailedException). Operations are plain functions
 * and know nothing of Bedrock.
 */
import { randomUUID } from 'node:crypto';
import { type ActionContext, type ActionDeps, identityOf, type WriteStack } from '../action-groups/shared/context.js';
import { runWrite } from '../action-groups/shared/writes.js';
import { AppError, toErrorResponse } from '../domain/errors.js';
import { isExpired } from '../domain/session.js';
import { isSessionId } from '../domain/session-id.js';
import { assertValid, type Validator } from '../edge/validation.js';
import { sessionRef } from '../observability/logger.js';
import type { BedrockActionResponse } from './event.js';
import { isRecord, readHeader } from './event.js';
import { collectInput } from './parse.js';
import { buildEnvelope } from './response.js';
import { isWriteOperation, type Operation, type WriteOperation } from './routes.js';

export interface CatalogOperation {
  readonly operationId: string;
  readonly method: string;
  readonly apiPath: string;
  readonly requiresConfirmation: boolean;
  readonly parameters: readonly { readonly name: string; readonly type: string; readonly description: string }[];
}

// biome-ignore lint/suspicious/noExplicitAny: route inputs are checked by the generated validator.
type AnyRead = Operation<any, unknown, ActionContext>;
// biome-ignore lint/suspicious/noExplicitAny: inputs as above; a write's body type flows back into its own confirmationOf.
type AnyWrite = WriteOperation<any, any, ActionContext>;
type AnyRoute = AnyRead | AnyWrite;

export interface ActionGroupDefinition {
  group: string;
  catalog: readonly CatalogOperation[];
  validators: Record<string, unknown>;
  routes: Record<string, AnyRoute>;
}

/** The parts of the Lambda context the edge uses. */
export interface InvocationContext {
  awsRequestId?: string;
  getRemainingTimeInMillis?: () => number;
  /**
   * In-process callers only (a Lambda context never has it): check a write — validation, session,
   * ownership, its preconditions — without making it, and answer 200 `{ checked: true }`.
   */
  dryRun?: boolean;
}

export type ActionHandler = (event: unknown, context?: InvocationContext) => Promise<BedrockActionResponse>;

/** Outside Lambda (gateway, tests) an invocation is assumed to have this long. */
const defaultBudgetMs = 30_000;

type BoundRoute = { operation: CatalogOperation; validate: Validator } & (
  | { read: AnyRead }
  | { write: AnyWrite; stack: WriteStack }
);

/**
 * Each declared operation with its route and validator, checked once at cold start: a wiring
 * mistake — a missing route or validator, a write its spec marks `x-requireConfirmation` that is
 * not declared as a write (or a write the spec does not mark), a group with writes but no write
 * stack — stops the function from starting instead of failing (or writing unguarded) later.
 */
export function bindRoutes(definition: ActionGroupDefinition, writeStack: WriteStack | undefined) {
  const byRoute = new Map<string, BoundRoute>();
  for (const operation of definition.catalog) {
    const key = `${operation.method} ${operation.apiPath}`;
    const route = definition.routes[key];
    const validate = definition.validators[operation.operationId] as Validator | undefined;
    if (!route || !validate) throw new Error(`${definition.group}: no route or validator for ${key}`);
    if (operation.requiresConfirmation !== isWriteOperation(route)) {
      throw new Error(
        `${definition.group}: ${operation.operationId} is ${operation.requiresConfirmation ? '' : 'not '}marked x-requireConfirmation in its spec but ${isWriteOperation(route) ? 'is' : 'is not'} declared as a write`,
      );
    }
    if (!isWriteOperation(route)) {
      byRoute.set(key, { operation, validate, read: route });
    } else if (writeStack) {
      byRoute.set(key, { operation, validate, write: route, stack: writeStack });
    } else {
      throw new Error(`${definition.group}: ${operation.operationId} writes, but the group has no write stack`);
    }
  }
  return byRoute;
}

export function createActionHandler(
  definition: ActionGroupDefinition,
  deps: ActionDeps & Partial<WriteStack>,
): ActionHandler {
  const writeStack = deps.writes && deps.audit ? { writes: deps.writes, audit: deps.audit } : undefined;
  const byRoute = bindRoutes(definition, writeStack);
  const { logger } = deps;

  return async (event, lambdaContext) => {
    const header = readHeader(event);
    const started = Date.now();
    const routeKey = `${header.httpMethod.toUpperCase()} ${header.apiPath}`;
    const bound = byRoute.get(routeKey);
    logger.resetKeys();
    logger.appendKeys({
      correlation_id: lambdaContext?.awsRequestId ?? randomUUID(),
      action_group: definition.group,
      operation: bound?.operation.operationId ?? 'unknown',
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
      if (!isRecord(event)) throw new AppError('invalid_event');
      if (!bound) {
        throw new AppError(
          'unknown_operation',
          `There is no ${header.httpMethod || '(no method)'} ${header.apiPath || '(no path)'} action in the ${definition.group} group; use one of the actions it declares.`,
        );
      }
      const { operation, validate } = bound;
      const { input: collected, ignored } = collectInput(event, operation.parameters);
      assertValid(validate, collected, operation.parameters);
      const input = 'write' in bound && bound.write.normalize ? bound.write.normalize(collected) : collected;

      const now = deps.clock();
      // An id no session of ours can have (absent, too long, odd characters) has no session:
      // no need to ask DynamoDB, whose key-size limit would turn it into a storage error.
      const session = isSessionId(header.sessionId) ? await deps.sessions.get(header.sessionId) : undefined;
      if (!session) throw new AppError('session_missing');
      if (isExpired(session, now)) throw new AppError('session_expired');
      const context: ActionContext = {
        config: deps.config,
        sessions: deps.sessions,
        pf360: deps.pf360,
        weather: deps.weather,
        clock: deps.clock,
        logger,
        sessionId: header.sessionId,
        session,
        now,
        who: identityOf(session),
        remainingMs: () => lambdaContext?.getRemainingTimeInMillis?.() ?? defaultBudgetMs - (Date.now() - started),
      };
      if (lambdaContext?.dryRun) {
        if ('write' in bound) (await bound.write.prepare(input, context)).check?.();
        return respond(200, { checked: true }, { dry_run: true });
      }
      const result =
        'write' in bound
          ? await runWrite(operation.operationId, bound.write, input, context, bound.stack)
          : await bound.read(input, context);
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
      const { status, body } = toErrorResponse(error, logger);
      const cause = error instanceof AppError && error.cause instanceof Error ? { cause: error.cause.name } : {};
      return respond(status, body, cause);
    }
  };
}

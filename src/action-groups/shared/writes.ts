/**
 * Every write (the operations whose spec says `x-requireConfirmation: ENABLED`) runs through
 * here: `prepare` (ownership and reads) on every attempt, then `perform` at most once per key
 * within the idempotency window (repeats get the first result, concurrent repeats a 409), and
 * every attempt — succeeded, test mode, replayed, rejected or failed — lands in the audit trail.
 */
import type { OperationResult, WriteOperation } from '../../bedrock/routes.js';
import { AppError } from '../../domain/errors.js';
import { sessionRef } from '../../observability/logger.js';
import type { AuditEntry } from '../../ports/audit-log.js';
import type { ActionContext, WriteStack } from './context.js';

export async function runWrite<I, O>(
  operationId: string,
  write: WriteOperation<I, O, ActionContext>,
  input: I,
  context: ActionContext,
  stack: WriteStack,
): Promise<OperationResult<O>> {
  const { projectId, parameters } = write.describe(input);
  const audit: Omit<AuditEntry, 'outcome'> = {
    at: context.now.toISOString(),
    customerId: context.session.customerId,
    clientId: context.session.clientId,
    sessionRef: sessionRef(context.sessionId),
    operation: operationId,
    projectId,
    parameters,
  };
  try {
    const { target, perform } = await write.prepare(input, context);
    const key = { session: context.sessionId, operation: operationId, project: projectId, target, parameters };
    const { value, replayed } = await stack.writes.run(key, context.remainingMs(), perform);
    const testMode = (value.body as { test_mode?: unknown }).test_mode === true;
    await stack.audit.record({
      ...audit,
      outcome: replayed ? 'replayed' : testMode ? 'test_mode' : 'succeeded',
      confirmationId: write.confirmationOf(value.body) ?? null,
    });
    if (replayed) context.logger.info('write answered from its first result', { write: operationId });
    return value;
  } catch (error) {
    const rejected = error instanceof AppError && error.status < 500;
    await stack.audit.record({
      ...audit,
      outcome: rejected ? 'rejected' : 'failed',
      errorType: error instanceof AppError ? error.errorType : 'internal_error',
    });
    throw error;
  }
}

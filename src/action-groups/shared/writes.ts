/**
 * Every write (confirm, reschedule, cancel, add_note) goes through here: it runs at most once per
 * key within the idempotency window (repeats get the first result, concurrent repeats a 409), and
 * every attempt — succeeded, test mode, replayed, rejected or failed — lands in the audit trail.
 */
import type { OperationResult } from '../../bedrock/routes.js';
import { AppError } from '../../domain/errors.js';
import { sessionRef } from '../../observability/logger.js';
import type { AuditEntry } from '../../ports/audit-log.js';
import type { ActionContext } from './context.js';

export interface WriteDescription<B> {
  operation: string;
  projectId: string;
  /** The write's parameters as the model gave them (validated): part of the key and the audit. */
  parameters: Record<string, string>;
  /** PF360's confirmation, cancellation or note id in the result. */
  confirmationOf: (body: B) => string | null | undefined;
}

export interface PreparedWrite<B> {
  /**
   * What the write acts on, chosen so that a retry of the same write maps to the same key and a
   * new write (a new PF360 request, another appointment) does not: the request id for bookings,
   * the appointment for a cancel.
   */
  target: string;
  perform: () => Promise<OperationResult<B>>;
}

/**
 * `prepare` runs first on every attempt (ownership and reads, no writes) and names the target;
 * `perform` then runs at most once per key. Both are audited.
 */
export async function runWrite<B>(
  context: ActionContext,
  write: WriteDescription<B>,
  prepare: () => Promise<PreparedWrite<B>>,
): Promise<OperationResult<B>> {
  const { writes, audit: auditLog } = context;
  if (!writes || !auditLog) throw new Error(`${write.operation} runs in an action group wired without the write stack`);
  const audit: Omit<AuditEntry, 'outcome'> = {
    at: context.now.toISOString(),
    customerId: context.session.customerId,
    clientId: context.session.clientId,
    sessionRef: sessionRef(context.sessionId),
    operation: write.operation,
    projectId: write.projectId,
    parameters: write.parameters,
  };
  try {
    const { target, perform } = await prepare();
    const key = {
      session: context.sessionId,
      operation: write.operation,
      project: write.projectId,
      target,
      parameters: write.parameters,
    };
    const { value, replayed } = await writes.run(key, context.remainingMs(), perform);
    const testMode = (value.body as { test_mode?: unknown }).test_mode === true;
    await auditLog.record({
      ...audit,
      outcome: replayed ? 'replayed' : testMode ? 'test_mode' : 'succeeded',
      confirmationId: write.confirmationOf(value.body) ?? null,
    });
    if (replayed) context.logger.info('write answered from its first result', { write: write.operation });
    return value;
  } catch (error) {
    const rejected = error instanceof AppError && error.status < 500;
    await auditLog.record({
      ...audit,
      outcome: rejected ? 'rejected' : 'failed',
      errorType: error instanceof AppError ? error.errorType : 'internal_error',
    });
    throw error;
  }
}

/**
 * The composition root of the action groups that write (scheduling, notes): the base wiring plus
 * the write stack — Powertools idempotency and the audit trail on DynamoDB.
 */
import { DynamoDbAuditLog } from '../../adapters/dynamodb/audit-log.js';
import { PowertoolsWriteGuard } from '../../adapters/dynamodb/powertools-write-guard.js';
import type { Env } from '../../config/env.js';
import { createBaseWiring } from './base-wiring.js';
import type { WritingActionDeps } from './context.js';

export function createActionDeps(service: string, env?: Env): WritingActionDeps {
  const { deps, dynamodb, documents } = createBaseWiring(service, env);
  const { config, logger } = deps;
  return {
    ...deps,
    writes: new PowertoolsWriteGuard(dynamodb, config.idempotencyTable, config.idempotencyTtlSeconds, logger),
    audit: new DynamoDbAuditLog(documents, config.auditTable, config.auditRetentionDays, logger),
  };
}

/**
 * The three tables' models, in one place: key and TTL attribute names (test/contract/tables
 * checks them against infra/dynamodb-tables.yml, which serverless.yml deploys and the local stack
 * creates), the entities each holds, and epoch seconds for TTL. The session entity's mapping is
 * in session-item.ts; the audit entry's and the rate counter's are here.
 */
import { randomUUID } from 'node:crypto';
import { epochSeconds } from '../../domain/time.js';
import type { AuditEntry } from '../../ports/audit-log.js';
import type { Item, UpdatePlan } from './update-plan.js';

export { epochSeconds };

/** A stored item that is not what its entity's model says: a bug or a hand edit, never the caller's fault. */
export class MalformedItemError extends Error {
  override name = 'MalformedItemError';
}

/**
 * Sessions table: one item per session (session-item.ts) and, beside them, the chat rate
 * limiter's per-minute counters. `#` never occurs in a session id, so a counter's key cannot
 * collide with a session's.
 */
export const sessionsTable = {
  key: 'session_id',
  ttl: 'expires_at',
} as const;

export const rateCounter = {
  keyOf: (subject: string, minute: number) => `rate#${subject}#${minute}`,
  /** One hit in the minute's window; the counter removes itself (TTL) a minute after the window. */
  hit: (minute: number): UpdatePlan => ({
    add: [[['hits'], 1]],
    set: [[[sessionsTable.ttl], (minute + 2) * 60]],
  }),
  hitsOf: (item: Item | undefined): number => {
    const hits = item?.hits;
    if (typeof hits !== 'number') throw new MalformedItemError('sessions table: a rate counter has no numeric hits');
    return hits;
  },
} as const;

/**
 * Idempotency table: Powertools idempotency's records (its DynamoDB persistence layer writes
 * them). The attribute names are Powertools' defaults, passed to it explicitly so that this
 * model, the table definition and the records cannot disagree.
 */
export const idempotencyTable = {
  key: 'id',
  ttl: 'expiration',
  attributes: { status: 'status', data: 'data', inProgressExpiry: 'in_progress_expiration', validation: 'validation' },
} as const;

/** Audit table: every write attempt, queryable per project (client#project), kept for the retention period. */
export const auditTable = {
  partitionKey: 'project_key',
  sortKey: 'entry_key',
  ttl: 'expires_at',
  projectKeyOf: (clientId: string, projectId: string) => `${clientId}#${projectId}`,
  toItem(entry: AuditEntry, retentionDays: number): Item {
    return {
      project_key: auditTable.projectKeyOf(entry.clientId, entry.projectId),
      // Time first: a project's entries read back oldest first; the uuid keeps same-millisecond entries apart.
      entry_key: `${entry.at}#${randomUUID()}`,
      ...entry,
      [auditTable.ttl]: epochSeconds(Date.parse(entry.at)) + retentionDays * 86_400,
    };
  },
  fromItem(item: Item): AuditEntry {
    const { project_key, entry_key, expires_at, ...entry } = item;
    for (const field of ['at', 'customerId', 'clientId', 'sessionRef', 'operation', 'projectId', 'outcome'] as const) {
      if (typeof entry[field] !== 'string') {
        throw new MalformedItemError(`audit table: an entry has no string ${field}`);
      }
    }
    return entry as unknown as AuditEntry;
  },
} as const;

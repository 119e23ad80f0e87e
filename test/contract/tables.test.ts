/** The table model (src/adapters/dynamodb/tables.ts) names exactly the keys and TTL attributes that infra/dynamodb-tables.yml deploys. */
import { describe, expect, it } from 'vitest';
import { tableDefinitions } from '../../scripts/local/tables.js';
import { auditTable, idempotencyTable, sessionsTable } from '../../src/adapters/dynamodb/tables.js';

const definitions = tableDefinitions();
const keysOf = (logicalId: string) =>
  Object.fromEntries((definitions[logicalId]?.Properties.KeySchema ?? []).map((k) => [k.KeyType, k.AttributeName]));
const ttlOf = (logicalId: string) => definitions[logicalId]?.Properties.TimeToLiveSpecification;

describe('the table model and infra/dynamodb-tables.yml', () => {
  it.each([
    ['SessionsTable', { HASH: sessionsTable.key }, sessionsTable.ttl],
    ['IdempotencyTable', { HASH: idempotencyTable.key }, idempotencyTable.ttl],
    ['AuditTable', { HASH: auditTable.partitionKey, RANGE: auditTable.sortKey }, auditTable.ttl],
  ])('agree on the keys and the TTL attribute of %s', (logicalId, keys, ttl) => {
    expect(keysOf(logicalId)).toEqual(keys);
    expect(ttlOf(logicalId)).toEqual({ AttributeName: ttl, Enabled: true });
  });
});

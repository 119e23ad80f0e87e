import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../scripts/lib/specs.js';
import { localTables, tableDefinitions } from '../../../scripts/local/tables.js';

describe('localTables', () => {
  it('names each table after the run, for the functions and for table creation alike', () => {
    expect(localTables('faults')).toEqual({
      env: { SESSIONS_TABLE: 'faults-sessions', IDEMPOTENCY_TABLE: 'faults-idempotency', AUDIT_TABLE: 'faults-audit' },
      byLogicalId: {
        SessionsTable: 'faults-sessions',
        IdempotencyTable: 'faults-idempotency',
        AuditTable: 'faults-audit',
      },
    });
  });

  it('takes a name the environment sets, and ignores an empty one', () => {
    const { env, byLogicalId } = localTables('pf360-local', { SESSIONS_TABLE: 'mine', AUDIT_TABLE: '' });
    expect(env).toMatchObject({ SESSIONS_TABLE: 'mine', AUDIT_TABLE: 'pf360-local-audit' });
    expect(byLogicalId.SessionsTable).toBe('mine');
  });

  it('knows every table infra/dynamodb-tables.yml deploys, under the settings serverless.yml gives the functions', () => {
    const { env, byLogicalId } = localTables('x');
    expect(Object.keys(byLogicalId).sort()).toEqual(Object.keys(tableDefinitions()).sort());
    const serverless = readFileSync(join(repoRoot, 'serverless.yml'), 'utf8');
    for (const setting of Object.keys(env)) expect(serverless).toMatch(new RegExp(`^\\s+${setting}: `, 'm'));
  });
});

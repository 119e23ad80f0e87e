import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { DynamoDbAuditLog } from '../../../../src/adapters/dynamodb/audit-log.js';
import { createLogger } from '../../../../src/observability/logger.js';
import type { AuditEntry } from '../../../../src/ports/audit-log.js';
import { sensitive } from '../../../helpers/sensitive.js';

describe('an audit entry that cannot be stored', () => {
  const entry: AuditEntry = {
    at: '2026-11-25T15:00:00.000Z',
    customerId: '1645975',
    clientId: '09PF05VD',
    sessionRef: 'abc123',
    operation: 'add_note',
    projectId: '12347',
    parameters: { note_text: sensitive.gateNote },
    outcome: 'succeeded',
    confirmationId: 'note-1',
  };

  it('is logged as CRITICAL with the note text only as its length and hash, and nothing is thrown', async () => {
    const down = { send: async () => Promise.reject(new Error('ResourceNotFoundException')) };
    const logger = createLogger('audit-test');
    const critical = vi.spyOn(logger, 'critical').mockImplementation(() => undefined);
    const audit = new DynamoDbAuditLog(down as unknown as DynamoDBDocumentClient, 'audit', 730, logger);

    await expect(audit.record(entry)).resolves.toBeUndefined();

    expect(critical).toHaveBeenCalledTimes(1);
    const [, extra] = critical.mock.calls[0] as [string, { audit_entry: AuditEntry }];
    const digest = createHash('sha256').update(sensitive.gateNote).digest('hex').slice(0, 12);
    expect(extra.audit_entry).toEqual({
      ...entry,
      parameters: { note_text: `[${sensitive.gateNote.length} chars sha256:${digest}]` },
    });
    expect(JSON.stringify(critical.mock.calls)).not.toContain('4417');
  });
});

import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
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

  it('refuses a stored entry that is not an audit entry, naming what is missing', async () => {
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    mockClient(client)
      .on(QueryCommand)
      .resolves({ Items: [{ project_key: '09PF05VD#12347', entry_key: 'a', operation: 'add_note' }] });
    const audit = new DynamoDbAuditLog(client, 'audit', 730, createLogger('audit-test'));

    await expect(audit.listForProject('09PF05VD', '12347')).rejects.toThrow('audit table: an entry has no string at');
  });
});

describe("reading a project's audit trail", () => {
  const stored = (operation: string, entryKey: string) => ({
    project_key: '09PF05VD#12347',
    entry_key: entryKey,
    expires_at: 1,
    ...entryOf(operation),
  });
  const entryOf = (operation: string) => ({
    at: '2026-11-25T14:00:00.000Z',
    customerId: '1645975',
    clientId: '09PF05VD',
    sessionRef: 'abc',
    operation,
    projectId: '12347',
    parameters: {},
    outcome: 'succeeded',
  });

  it('reads consistently (an entry just written is included) and follows every page', async () => {
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    const dynamo = mockClient(client);
    dynamo
      .on(QueryCommand)
      .resolvesOnce({
        Items: [stored('add_note', 'a')],
        LastEvaluatedKey: { project_key: '09PF05VD#12347', entry_key: 'a' },
      })
      .resolvesOnce({
        Items: [stored('cancel_appointment', 'b')],
      });
    const audit = new DynamoDbAuditLog(client, 'audit', 730, createLogger('audit-test'));

    const entries = await audit.listForProject('09PF05VD', '12347');

    expect(entries).toEqual([entryOf('add_note'), entryOf('cancel_appointment')]);
    const inputs = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs).toHaveLength(2);
    expect(inputs[0]).toMatchObject({ ConsistentRead: true, ExpressionAttributeValues: { ':p': '09PF05VD#12347' } });
    expect(inputs[1]).toMatchObject({ ExclusiveStartKey: { project_key: '09PF05VD#12347', entry_key: 'a' } });
  });

  it('refuses a stored entry that is not an audit entry, naming what is missing', async () => {
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    mockClient(client)
      .on(QueryCommand)
      .resolves({ Items: [{ project_key: '09PF05VD#12347', entry_key: 'a', operation: 'add_note' }] });
    const audit = new DynamoDbAuditLog(client, 'audit', 730, createLogger('audit-test'));

    await expect(audit.listForProject('09PF05VD', '12347')).rejects.toThrow('audit table: an entry has no string at');
  });
});

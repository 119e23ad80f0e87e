import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '../../observability/logger.js';
import type { AuditEntry, AuditLog } from '../../ports/audit-log.js';
import { auditTable } from './tables.js';

/** What may appear in a log line when an entry could not be stored: note text only as length and hash. */
function loggable(entry: AuditEntry): Record<string, unknown> {
  const parameters = Object.fromEntries(
    Object.entries(entry.parameters).map(([k, v]) =>
      k === 'note_text'
        ? [k, `[${v.length} chars sha256:${createHash('sha256').update(v).digest('hex').slice(0, 12)}]`]
        : [k, v],
    ),
  );
  return { ...entry, parameters };
}

export class DynamoDbAuditLog implements AuditLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
    private readonly logger: Logger,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: auditTable.toItem(entry, this.retentionDays) }),
      );
    } catch (error) {
      // Loud, complete (minus note text) and never fatal: the write itself already happened.
      this.logger.critical('AUDIT WRITE FAILED: entry not stored', {
        audit_entry: loggable(entry),
        cause: error instanceof Error ? error.name : 'unknown',
      });
    }
  }

  /** Every entry of one project, oldest first; consistent, so an entry just written is included. */
  async listForProject(clientId: string, projectId: string): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :p',
        ExpressionAttributeNames: { '#pk': auditTable.partitionKey },
        ExpressionAttributeValues: { ':p': auditTable.projectKeyOf(clientId, projectId) },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) entries.push(auditTable.fromItem(item));
    }
    return entries;
  }
}

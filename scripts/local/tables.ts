/**
 * Creates the tables of infra/dynamodb-tables.yml in DynamoDB Local, so local runs and tests use
 * exactly the key schema, indexes and TTL attribute that serverless.yml deploys.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AttributeDefinition,
  CreateTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { parse } from 'yaml';
import { repoRoot } from '../lib/specs.js';

interface TableResource {
  Type: string;
  Properties: {
    AttributeDefinitions: AttributeDefinition[];
    KeySchema: KeySchemaElement[];
    GlobalSecondaryIndexes?: GlobalSecondaryIndex[];
    TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
  };
}

export function tableDefinitions(): Record<string, TableResource> {
  const doc = parse(readFileSync(join(repoRoot, 'infra/dynamodb-tables.yml'), 'utf8')) as {
    Resources: Record<string, TableResource>;
  };
  return Object.fromEntries(Object.entries(doc.Resources).filter(([, r]) => r.Type === 'AWS::DynamoDB::Table'));
}

/** Each table's setting (serverless.yml's function environment) and logical id (infra/dynamodb-tables.yml). */
const tableSettings = {
  SESSIONS_TABLE: { logicalId: 'SessionsTable', suffix: 'sessions' },
  IDEMPOTENCY_TABLE: { logicalId: 'IdempotencyTable', suffix: 'idempotency' },
  AUDIT_TABLE: { logicalId: 'AuditTable', suffix: 'audit' },
} as const;

export type TableEnv = Record<keyof typeof tableSettings, string>;

/**
 * The tables of one local run, named `<prefix>-sessions` and so on unless `overrides` (e.g.
 * process.env) names one: `env` for the functions, `byLogicalId` for createTables/startStack.
 */
export function localTables(
  prefix: string,
  overrides: Record<string, string | undefined> = {},
): { env: TableEnv; byLogicalId: Record<string, string> } {
  const entries = Object.entries(tableSettings) as [keyof TableEnv, (typeof tableSettings)[keyof TableEnv]][];
  const env = Object.fromEntries(
    entries.map(([setting, { suffix }]) => [setting, overrides[setting] || `${prefix}-${suffix}`]),
  ) as TableEnv;
  const byLogicalId = Object.fromEntries(entries.map(([setting, { logicalId }]) => [logicalId, env[setting]]));
  return { env, byLogicalId };
}

/** Creates each table (logical id → local name) if missing, with TTL as declared unless `timeToLive` is false. */
export async function createTables(
  client: DynamoDBClient,
  names: Record<string, string>,
  options: { timeToLive?: boolean } = {},
): Promise<void> {
  const definitions = tableDefinitions();
  for (const [logicalId, tableName] of Object.entries(names)) {
    const def = definitions[logicalId];
    if (!def) throw new Error(`infra/dynamodb-tables.yml has no table ${logicalId}`);
    const { AttributeDefinitions, KeySchema, GlobalSecondaryIndexes, TimeToLiveSpecification } = def.Properties;
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions,
          KeySchema,
          ...(GlobalSecondaryIndexes ? { GlobalSecondaryIndexes } : {}),
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      continue;
    }
    if (TimeToLiveSpecification?.Enabled && options.timeToLive !== false) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: TimeToLiveSpecification.AttributeName, Enabled: true },
        }),
      );
    }
  }
}

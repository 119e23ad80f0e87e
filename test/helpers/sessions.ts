/** Sessions in the run's DynamoDB Local, created and read the way production code does. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../src/adapters/dynamodb/client.js';
import { DynamoDbSessionStore } from '../../src/adapters/dynamodb/session-store.js';
import type { NewSession, Session } from '../../src/domain/session.js';
import { newSessionId } from '../../src/domain/session-id.js';
import { sensitive } from './sensitive.js';

export const demoCustomer = {
  customerId: '1645975',
  clientId: '09PF05VD',
  clientName: 'projectsforce-validation',
  authToken: sensitive.pf360Token,
} as const;

const client = createDocumentClient();

export function sessionStore(ttlSeconds = 1800): DynamoDbSessionStore {
  return new DynamoDbSessionStore(client, process.env.SESSIONS_TABLE ?? '', ttlSeconds);
}

export async function createSession(overrides: Partial<NewSession> = {}, now = new Date()): Promise<Session> {
  return sessionStore().create(
    { sessionId: newSessionId(), ...demoCustomer, stage: 'test', timeZone: 'America/New_York', ...overrides },
    now,
  );
}

/** The raw item, to prove what was (not) written. */
export async function readSessionItem(sessionId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: process.env.SESSIONS_TABLE, Key: { session_id: sessionId }, ConsistentRead: true }),
  );
  return Item;
}

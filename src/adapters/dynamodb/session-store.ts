import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SessionError, StorageError } from '../../domain/errors.js';
import {
  expiryFrom,
  type NewSession,
  type PendingConfirmation,
  type Session,
  type SessionPatch,
} from '../../domain/session.js';
import type { SessionStore } from '../../ports/session-store.js';
import { buildUpdate, fromItem, newSession, toItem } from './session-item.js';

const unavailable =
  'The session storage is temporarily unavailable; nothing was changed. Please try again in a minute.';

export class DynamoDbSessionStore implements SessionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlSeconds: number,
  ) {}

  async get(sessionId: string): Promise<Session | undefined> {
    try {
      const { Item } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: { session_id: sessionId }, ConsistentRead: true }),
      );
      return Item ? fromItem(Item) : undefined;
    } catch (error) {
      throw new StorageError(unavailable, { cause: error });
    }
  }

  async create(input: NewSession, now: Date): Promise<Session> {
    const session = newSession(input, now, expiryFrom(now, this.ttlSeconds));
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(session),
          ConditionExpression: 'attribute_not_exists(session_id)',
        }),
      );
    } catch (error) {
      throw new StorageError(unavailable, { cause: error });
    }
    return session;
  }

  async update(sessionId: string, patch: SessionPatch, now: Date): Promise<void> {
    const params = buildUpdate(patch, Math.floor(now.getTime() / 1000), expiryFrom(now, this.ttlSeconds));
    try {
      await this.client.send(
        new UpdateCommand({ TableName: this.tableName, Key: { session_id: sessionId }, ...params }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new SessionError('session_expired', 'The session expired; please sign in again.');
      }
      throw new StorageError(unavailable, { cause: error });
    }
  }

  async takePendingConfirmation(
    sessionId: string,
    confirmationId: string,
    now: Date,
  ): Promise<PendingConfirmation | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { session_id: sessionId },
          UpdateExpression: 'REMOVE #pending SET #exp = :exp',
          ConditionExpression: '#pending.#cid = :cid AND #exp > :now',
          ExpressionAttributeNames: {
            '#pending': 'pending_confirmation',
            '#cid': 'confirmationId',
            '#exp': 'expires_at',
          },
          ExpressionAttributeValues: {
            ':cid': confirmationId,
            ':now': Math.floor(now.getTime() / 1000),
            ':exp': expiryFrom(now, this.ttlSeconds),
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes?.pending_confirmation as PendingConfirmation | undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw new StorageError(unavailable, { cause: error });
    }
  }
}

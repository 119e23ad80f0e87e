import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../../domain/errors.js';
import {
  expiryFrom,
  type NewSession,
  type PendingConfirmation,
  type Session,
  type SessionPatch,
} from '../../domain/session.js';
import type { SessionStore } from '../../ports/session-store.js';
import { buildUpdate, fromItem, newSession, takenMark, toItem } from './session-item.js';

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
      throw new AppError('storage_unavailable', unavailable, { cause: error });
    }
  }

  async create(input: NewSession, now: Date): Promise<Session> {
    const session = newSession(input, now, expiryFrom(now, this.ttlSeconds));
    const item = toItem(session);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(session_id)',
        }),
      );
    } catch (error) {
      // The SDK retried after a lost answer and met the item its first attempt wrote: created.
      if (error instanceof ConditionalCheckFailedException && (await this.holds(item).catch(() => false)))
        return session;
      throw new AppError('storage_unavailable', unavailable, { cause: error });
    }
    return session;
  }

  /** Whether the stored item is exactly `item` (undefined members are not stored). */
  private async holds(item: Record<string, unknown>): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { session_id: item.session_id }, ConsistentRead: true }),
    );
    return isDeepStrictEqual(Item, JSON.parse(JSON.stringify(item)));
  }

  async update(sessionId: string, patch: SessionPatch, now: Date): Promise<void> {
    const params = buildUpdate(patch, Math.floor(now.getTime() / 1000), expiryFrom(now, this.ttlSeconds));
    try {
      await this.client.send(
        new UpdateCommand({ TableName: this.tableName, Key: { session_id: sessionId }, ...params }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new AppError('session_expired', 'The session expired; please sign in again.');
      }
      throw new AppError('storage_unavailable', unavailable, { cause: error });
    }
  }

  /**
   * Takes the pending confirmation once. It is marked taken with a token of this call rather than
   * removed, so that when the SDK retries after a lost answer (the first attempt was applied),
   * the retry matches its own mark and still returns the confirmation; another call (a second
   * answer) does not. A taken confirmation reads as absent (fromItem) and is removed by the next
   * write of the pending slot.
   */
  async takePendingConfirmation(
    sessionId: string,
    confirmationId: string,
    now: Date,
  ): Promise<{ pending: PendingConfirmation; claim: string } | undefined> {
    const claim = randomUUID();
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { session_id: sessionId },
          UpdateExpression: 'SET #pending.#taken = :token, #exp = :exp',
          ConditionExpression:
            '#pending.#cid = :cid AND #exp > :now AND (attribute_not_exists(#pending.#taken) OR #pending.#taken = :token)',
          ExpressionAttributeNames: {
            '#pending': 'pending_confirmation',
            '#cid': 'confirmationId',
            '#taken': takenMark,
            '#exp': 'expires_at',
          },
          ExpressionAttributeValues: {
            ':cid': confirmationId,
            ':token': claim,
            ':now': Math.floor(now.getTime() / 1000),
            ':exp': expiryFrom(now, this.ttlSeconds),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const { [takenMark]: _taken, ...pending } = (Attributes?.pending_confirmation ?? {}) as Record<string, unknown>;
      return Attributes?.pending_confirmation
        ? { pending: pending as unknown as PendingConfirmation, claim }
        : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw new AppError('storage_unavailable', unavailable, { cause: error });
    }
  }

  async releasePendingConfirmation(sessionId: string, confirmationId: string, claim: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { session_id: sessionId },
          UpdateExpression: 'REMOVE #pending.#taken',
          ConditionExpression: '#pending.#cid = :cid AND #pending.#taken = :claim',
          ExpressionAttributeNames: {
            '#pending': 'pending_confirmation',
            '#cid': 'confirmationId',
            '#taken': takenMark,
          },
          ExpressionAttributeValues: { ':cid': confirmationId, ':claim': claim },
        }),
      );
    } catch (error) {
      // Replaced since (a newer message or confirmation): it stays closed, as it should.
      if (error instanceof ConditionalCheckFailedException) return;
      throw new AppError('storage_unavailable', unavailable, { cause: error });
    }
  }
}

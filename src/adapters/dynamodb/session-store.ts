import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../../domain/errors.js';
import type { NewSession, PendingConfirmation, Session, SessionPatch } from '../../domain/session.js';
import type { SessionStore } from '../../ports/session-store.js';
import {
  createCondition,
  fromItem,
  keyOf,
  newSession,
  patchPlan,
  releaseConfirmationPlan,
  takeConfirmationPlan,
  takenConfirmation,
  toItem,
} from './session-item.js';
import { toConditionParams, toUpdateParams, type UpdatePlan } from './update-plan.js';

const unavailable =
  'The session storage is temporarily unavailable; nothing was changed. Please try again in a minute.';

/** Sessions in DynamoDB: the session entity's plans (session-item.ts) sent as conditional writes. */
export class DynamoDbSessionStore implements SessionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlSeconds: number,
  ) {}

  private async read(sessionId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(sessionId), ConsistentRead: true }),
    );
    return Item;
  }

  /** Sends a plan; undefined when its condition failed, otherwise the item after it (`{}` unless asked for). */
  private async send(
    sessionId: string,
    plan: UpdatePlan,
    returnItem = false,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(sessionId),
          ...toUpdateParams(plan),
          ReturnValues: returnItem ? 'ALL_NEW' : 'NONE',
        }),
      );
      return Attributes ?? {};
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw new AppError('storage_unavailable', unavailable, { cause: error });
    }
  }

  async get(sessionId: string): Promise<Session | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      item = await this.read(sessionId);
    } catch (error) {
      throw new AppError('storage_unavailable', unavailable, { cause: error });
    }
    return item ? fromItem(item) : undefined;
  }

  async create(input: NewSession, now: Date): Promise<Session> {
    const session = newSession(input, now, this.ttlSeconds);
    const item = toItem(session);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...toConditionParams(createCondition(now)),
        }),
      );
    } catch (error) {
      // The SDK retried after a lost answer and met the item its first attempt wrote: created.
      if (error instanceof ConditionalCheckFailedException) {
        const stored = await this.read(session.sessionId).catch(() => undefined);
        if (isDeepStrictEqual(stored, item)) return session;
      }
      throw new AppError('storage_unavailable', unavailable, { cause: error });
    }
    return session;
  }

  async update(sessionId: string, patch: SessionPatch, now: Date): Promise<void> {
    const updated = await this.send(sessionId, patchPlan(patch, now, this.ttlSeconds));
    if (!updated) throw new AppError('session_expired');
  }

  async takePendingConfirmation(
    sessionId: string,
    confirmationId: string,
    now: Date,
  ): Promise<{ pending: PendingConfirmation; claim: string } | undefined> {
    const claim = randomUUID();
    const pending = takenConfirmation(
      await this.send(sessionId, takeConfirmationPlan(confirmationId, claim, now, this.ttlSeconds), true),
    );
    return pending ? { pending, claim } : undefined;
  }

  async releasePendingConfirmation(sessionId: string, confirmationId: string, claim: string): Promise<void> {
    // A failed condition means it was replaced since (a newer message or confirmation): it stays closed.
    await this.send(sessionId, releaseConfirmationPlan(confirmationId, claim));
  }
}

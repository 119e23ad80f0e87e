import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../../domain/errors.js';
import type { ConversationStore, StoredConversation } from '../../ports/conversation-store.js';
import { conversationKey, conversationOf, savePlan } from './conversation-item.js';
import { toUpdateParams } from './update-plan.js';

const unavailable = 'The conversation storage is temporarily unavailable; please try again in a minute.';

export class DynamoDbConversationStore implements ConversationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlSeconds: number,
  ) {}

  async load(sessionId: string): Promise<StoredConversation | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      ({ Item: item } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: conversationKey(sessionId), ConsistentRead: true }),
      ));
    } catch (error) {
      throw new AppError('storage_unavailable', unavailable, { cause: error });
    }
    return item ? conversationOf(item) : undefined;
  }

  async save(
    sessionId: string,
    next: Omit<StoredConversation, 'version'>,
    read: number | undefined,
    now: Date,
  ): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: conversationKey(sessionId),
          ...toUpdateParams(savePlan(next, read, now, this.ttlSeconds)),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new AppError('agent_conflict');
      throw new AppError('storage_unavailable', unavailable, { cause: error });
    }
  }
}

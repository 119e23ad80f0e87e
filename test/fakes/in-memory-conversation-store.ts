/** A ConversationStore in memory with the same item and plan as DynamoDB (conversation-item.ts). */
import { conversationKey, conversationOf, savePlan } from '../../src/adapters/dynamodb/conversation-item.js';
import { applyPlan, type Item } from '../../src/adapters/dynamodb/update-plan.js';
import { AppError } from '../../src/domain/errors.js';
import type { ConversationStore, StoredConversation } from '../../src/ports/conversation-store.js';

export class InMemoryConversationStore implements ConversationStore {
  readonly items = new Map<string, Item>();

  constructor(private readonly ttlSeconds = 1800) {}

  async load(sessionId: string): Promise<StoredConversation | undefined> {
    const item = this.items.get(sessionId);
    return item ? conversationOf(item) : undefined;
  }

  async save(sessionId: string, next: Omit<StoredConversation, 'version'>, read: number | undefined, now: Date) {
    const item = applyPlan(
      this.items.get(sessionId),
      savePlan(next, read, now, this.ttlSeconds),
      conversationKey(sessionId),
    );
    if (!item) throw new AppError('agent_conflict');
    this.items.set(sessionId, item);
  }
}

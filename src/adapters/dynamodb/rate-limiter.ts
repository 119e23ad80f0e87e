/**
 * Fixed one-minute windows counted with one atomic UpdateItem (ADD) in the sessions table. The
 * counter items are keyed `rate#<key>#<minute>`: `#` never occurs in a Bedrock sessionId, so they
 * cannot collide with sessions, and their TTL removes them two minutes later.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../../domain/errors.js';
import type { RateLimiter } from '../../ports/rate-limiter.js';

export class DynamoDbRateLimiter implements RateLimiter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly perMinute: number,
  ) {}

  async hit(key: string, now: Date): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const seconds = Math.floor(now.getTime() / 1000);
    const window = Math.floor(seconds / 60);
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { session_id: `rate#${key}#${window}` },
          UpdateExpression: 'ADD hits :one SET expires_at = :exp',
          ExpressionAttributeValues: { ':one': 1, ':exp': (window + 2) * 60 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const hits = Number(Attributes?.hits ?? 1);
      return { allowed: hits <= this.perMinute, retryAfterSeconds: Math.max(1, (window + 1) * 60 - seconds) };
    } catch (error) {
      throw new AppError(
        'storage_unavailable',
        'The chat service is temporarily unavailable; please try again in a minute.',
        {
          cause: error,
        },
      );
    }
  }
}

/**
 * Fixed one-minute windows counted with one atomic UpdateItem (ADD) on a counter item in the
 * sessions table (tables.ts: rateCounter), which removes itself by TTL after its window.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../../domain/errors.js';
import type { RateLimiter } from '../../ports/rate-limiter.js';
import { epochSeconds, rateCounter, sessionsTable } from './tables.js';
import { toUpdateParams } from './update-plan.js';

export class DynamoDbRateLimiter implements RateLimiter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly perMinute: number,
  ) {}

  async hit(subject: string, now: Date): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const seconds = epochSeconds(now);
    const minute = Math.floor(seconds / 60);
    let hits: number;
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [sessionsTable.key]: rateCounter.keyOf(subject, minute) },
          ...toUpdateParams(rateCounter.hit(minute)),
          ReturnValues: 'ALL_NEW',
        }),
      );
      hits = rateCounter.hitsOf(Attributes);
    } catch (error) {
      throw new AppError(
        'storage_unavailable',
        'The chat service is temporarily unavailable; please try again in a minute.',
        { cause: error },
      );
    }
    return { allowed: hits <= this.perMinute, retryAfterSeconds: Math.max(1, (minute + 1) * 60 - seconds) };
  }
}

/**
 * WriteGuard on Powertools idempotency with its DynamoDB persistence layer: the record is taken
 * (conditional put) before the write runs, completed with the result after it, and deleted when
 * the write fails.
 */

import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyPersistenceLayerError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { AppError } from '../../domain/errors.js';
import type { Logger } from '../../observability/logger.js';
import type { WriteGuard } from '../../ports/write-guard.js';
import { idempotencyTable } from './tables.js';

export class PowertoolsWriteGuard implements WriteGuard {
  private readonly store: DynamoDBPersistenceLayer;

  constructor(
    client: DynamoDBClient,
    tableName: string,
    private readonly ttlSeconds: number,
    private readonly logger: Logger,
  ) {
    const { key, ttl, attributes } = idempotencyTable;
    this.store = new DynamoDBPersistenceLayer({
      tableName,
      awsSdkV3Client: client,
      keyAttr: key,
      expiryAttr: ttl,
      inProgressExpiryAttr: attributes.inProgressExpiry,
      statusAttr: attributes.status,
      dataAttr: attributes.data,
      validationKeyAttr: attributes.validation,
    });
  }

  async run<T>(key: Record<string, unknown>, remainingMs: number, perform: () => Promise<T>) {
    let ran = false;
    let produced: { value: T } | undefined;
    const config = new IdempotencyConfig({ expiresAfterSeconds: this.ttlSeconds });
    // An in-progress record must not outlive the invocation that took it (a crash mid-write
    // would otherwise block retries for the whole window).
    config.registerLambdaContext({ getRemainingTimeInMillis: () => remainingMs } as Context);
    const once = makeIdempotent(
      async (_key: Record<string, unknown>) => {
        ran = true;
        const value = await perform();
        produced = { value };
        return value as never;
      },
      { persistenceStore: this.store, config },
    );
    try {
      const value = (await once(key)) as T;
      return { value, replayed: !ran };
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw new AppError(
          'write_in_progress',
          'The same change is already being made right now; wait a moment, then check the status instead of repeating it.',
        );
      }
      if (error instanceof IdempotencyPersistenceLayerError) {
        if (produced) {
          // The write happened but its record could not be completed: report the real outcome.
          this.logger.error('idempotency record not completed after a successful write', { cause: error.name });
          return { value: produced.value, replayed: false };
        }
        throw new AppError(
          'storage_unavailable',
          'Changes cannot be made right now because a storage service is unavailable; nothing was changed. Please try again in a minute.',
          { cause: error },
        );
      }
      throw error;
    }
  }
}

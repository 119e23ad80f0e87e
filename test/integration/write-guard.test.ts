/**
 * The idempotency guard on DynamoDB Local: when the write has run but its record cannot be
 * completed, the caller still hears the write's real result (reporting a failure would invite a
 * second booking).
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { createDynamoDbClient } from '../../src/adapters/dynamodb/client.js';
import { PowertoolsWriteGuard } from '../../src/adapters/dynamodb/powertools-write-guard.js';
import { AppError } from '../../src/domain/errors.js';
import { createLogger } from '../../src/observability/logger.js';

/** A client on which every `command` fails at once, as when DynamoDB refuses it. */
function clientFailing(command: string): DynamoDBClient {
  const client = createDynamoDbClient();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === command) {
        throw Object.assign(new Error('injected'), { name: 'ValidationException', $fault: 'client', $metadata: {} });
      }
      return next(args);
    },
    { step: 'initialize', name: 'failOneCommand' },
  );
  return client;
}

function guardOn(client: DynamoDBClient) {
  const logger = createLogger('write-guard-test');
  const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  const guard = new PowertoolsWriteGuard(client, process.env.IDEMPOTENCY_TABLE ?? '', 3600, logger);
  return { guard, error };
}

describe('PowertoolsWriteGuard', () => {
  it('reports the result of a write whose idempotency record could not be completed', async () => {
    const { guard, error } = guardOn(clientFailing('UpdateItemCommand'));
    const perform = vi.fn(async () => ({ confirmation_number: 'CONF-1' }));
    const result = await guard.run({ operation: 'confirm_appointment', id: randomUUID() }, 10_000, perform);
    expect(result).toEqual({ value: { confirmation_number: 'CONF-1' }, replayed: false });
    expect(perform).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith('idempotency record not completed after a successful write', {
      cause: expect.any(String),
    });
  });

  it('runs nothing and says nothing was changed when the record cannot be taken', async () => {
    const { guard } = guardOn(clientFailing('PutItemCommand'));
    const perform = vi.fn(async () => ({ confirmation_number: 'CONF-2' }));
    await expect(guard.run({ operation: 'confirm_appointment', id: randomUUID() }, 10_000, perform)).rejects.toThrow(
      AppError,
    );
    expect(perform).not.toHaveBeenCalled();
  });

  it('answers a repeat with the first result, without running the write again', async () => {
    const { guard } = guardOn(createDynamoDbClient());
    const key = { operation: 'add_note', id: randomUUID() };
    const perform = vi.fn(async () => ({ note_id: 'note-1' }));
    const first = await guard.run(key, 10_000, perform);
    const second = await guard.run(key, 10_000, perform);
    expect(first).toEqual({ value: { note_id: 'note-1' }, replayed: false });
    expect(second).toEqual({ value: { note_id: 'note-1' }, replayed: true });
    expect(perform).toHaveBeenCalledTimes(1);
  });
});

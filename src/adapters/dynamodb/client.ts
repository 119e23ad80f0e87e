import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { int } from '../../config/env.js';

/**
 * One DynamoDB client per process. Short timeouts and two attempts: a session read sits in
 * front of every action, and a dead table must turn into a clear error quickly, not a Lambda
 * timeout. The endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set (DynamoDB Local).
 */
export function createDynamoDbClient(env: Record<string, string | undefined> = process.env): DynamoDBClient {
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB?.trim();
  return new DynamoDBClient({
    maxAttempts: 2,
    requestHandler: {
      // DynamoDB answers in milliseconds; DynamoDB Local on a busy laptop or CI box may need more.
      connectionTimeout: int(env, 'DYNAMODB_CONNECT_TIMEOUT_MS', 1000, 1, 60_000),
      requestTimeout: int(env, 'DYNAMODB_REQUEST_TIMEOUT_MS', 3000, 1, 60_000),
    },
    ...(endpoint ? { endpoint } : {}),
  });
}

export function createDocumentClient(client: DynamoDBClient = createDynamoDbClient()): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}

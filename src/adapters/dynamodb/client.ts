import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One DynamoDB client per process. Short timeouts and two attempts: a session read sits in
 * front of every action, and a dead table must turn into a clear error quickly, not a Lambda
 * timeout. The endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set (DynamoDB Local).
 */
function millis(raw: string | undefined, fallback: number): number {
  const value = Number(raw);
  return raw && Number.isInteger(value) && value > 0 ? value : fallback;
}

export function createDynamoDbClient(env: Record<string, string | undefined> = process.env): DynamoDBClient {
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB?.trim();
  return new DynamoDBClient({
    maxAttempts: 2,
    requestHandler: {
      // DynamoDB answers in milliseconds; DynamoDB Local on a busy laptop or CI box may need more.
      connectionTimeout: millis(env.DYNAMODB_CONNECT_TIMEOUT_MS, 1000),
      requestTimeout: millis(env.DYNAMODB_REQUEST_TIMEOUT_MS, 3000),
    },
    ...(endpoint ? { endpoint } : {}),
  });
}

export function createDocumentClient(client: DynamoDBClient = createDynamoDbClient()): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}

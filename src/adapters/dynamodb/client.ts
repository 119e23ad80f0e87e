import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One DynamoDB client per process. Short timeouts and two attempts: a session read sits in
 * front of every action, and a dead table must turn into a clear error quickly, not a Lambda
 * timeout. The endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set (DynamoDB Local).
 */
export function createDynamoDbClient(env: Record<string, string | undefined> = process.env): DynamoDBClient {
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB?.trim();
  return new DynamoDBClient({
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
    ...(endpoint ? { endpoint } : {}),
  });
}

export function createDocumentClient(client: DynamoDBClient = createDynamoDbClient()): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}

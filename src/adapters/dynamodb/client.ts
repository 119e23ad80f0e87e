import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type DynamoDbConfig, loadDynamoDbConfig } from '../../config/env.js';

/**
 * One DynamoDB client per process. Short timeouts and two attempts: a session read sits in
 * front of every action, and a dead table must turn into a clear error quickly, not a Lambda
 * timeout. The endpoint is DynamoDB Local's when AWS_ENDPOINT_URL_DYNAMODB is set.
 */
export function createDynamoDbClient(config: DynamoDbConfig = loadDynamoDbConfig()): DynamoDBClient {
  return new DynamoDBClient({
    maxAttempts: 2,
    requestHandler: { connectionTimeout: config.connectTimeoutMs, requestTimeout: config.requestTimeoutMs },
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  });
}

export function createDocumentClient(client: DynamoDBClient = createDynamoDbClient()): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}

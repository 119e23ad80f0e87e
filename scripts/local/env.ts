/**
 * What the developer tools (`npm run invoke`, `npm run mcp`, bench, load, token) share: the
 * specs' demo customer, the environment that points a tool at the local stack of `npm start`,
 * and a stdout kept for the tool's own output while logs go to stderr.
 */
import { createDocumentClient } from '../../src/adapters/dynamodb/client.js';
import { DynamoDbSessionStore } from '../../src/adapters/dynamodb/session-store.js';
import { loadActionConfig } from '../../src/config/env.js';
import { localAwsEnv } from './stack.js';

/** The customer openapi/pf360.yaml's examples belong to. */
export const demoCustomer = {
  customerId: '1645975',
  clientId: '09PF05VD',
  clientName: 'projectsforce-validation',
} as const;

/**
 * Fills in, where unset, the settings that point the handlers at the local stack (ports from
 * DYNAMODB_PORT, PF360_MOCK_PORT and WEATHER_MOCK_PORT, as `npm start` reads them). With STAGE
 * naming a deployed stage it sets nothing: the tool then uses that stage's tables and API and
 * the caller's own AWS credentials.
 */
export function useLocalStackEnv(env: NodeJS.ProcessEnv = process.env): void {
  const stage = env.STAGE?.trim();
  if (stage && stage !== 'local') return;
  const local = (variable: string, fallback: number) => `http://127.0.0.1:${env[variable] || fallback}`;
  const defaults: Record<string, string> = {
    ...localAwsEnv,
    AWS_ENDPOINT_URL_DYNAMODB: local('DYNAMODB_PORT', 8000),
    PF360_BASE_URL: local('PF360_MOCK_PORT', 4010),
    WEATHER_BASE_URL: local('WEATHER_MOCK_PORT', 4011),
    GEOCODING_BASE_URL: local('WEATHER_MOCK_PORT', 4011),
    STAGE: 'local',
  };
  for (const [key, value] of Object.entries(defaults)) env[key] ??= value;
}

/**
 * Sends everything written to stdout (the handlers' JSON logs, SDK warnings) to stderr, and
 * returns the real stdout for the tool's own output.
 */
export function takeStdout(): typeof process.stdout.write {
  const stdout = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  return stdout;
}

/** The sessions table the handlers use, as the environment configures them (read when called). */
export function configuredSessions(): { store: DynamoDbSessionStore; stage: string } {
  const config = loadActionConfig();
  return {
    store: new DynamoDbSessionStore(createDocumentClient(), config.sessionsTable, config.sessionTtlSeconds),
    stage: config.stage,
  };
}

/**
 * The composition root of the action-group Lambdas: configuration, clients and adapters are
 * built once per cold start and injected; nothing below this reads the environment.
 */
import { createDocumentClient } from '../../adapters/dynamodb/client.js';
import { DynamoDbSessionStore } from '../../adapters/dynamodb/session-store.js';
import { ExamplePf360Client } from '../../adapters/pf360/example-client.js';
import { Pf360HttpClient } from '../../adapters/pf360/http-client.js';
import { loadActionConfig } from '../../config/env.js';
import { createLogger } from '../../observability/logger.js';
import type { ActionDeps } from './context.js';

export function createActionDeps(service: string, env: Record<string, string | undefined> = process.env): ActionDeps {
  const config = loadActionConfig(env);
  const logger = createLogger(service);
  const sessions = new DynamoDbSessionStore(createDocumentClient(), config.sessionsTable, config.sessionTtlSeconds);
  const pf360 = config.useMockApi
    ? new ExamplePf360Client()
    : new Pf360HttpClient({ baseUrl: config.pf360BaseUrl, policy: config.pf360Http, logger });
  return { config, sessions, pf360, clock: () => new Date(), logger };
}

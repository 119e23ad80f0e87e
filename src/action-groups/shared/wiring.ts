/**
 * The composition root of the action-group Lambdas: configuration, clients and adapters are
 * built once per cold start and injected; nothing below this reads the environment.
 */
import { DynamoDbAuditLog } from '../../adapters/dynamodb/audit-log.js';
import { createDocumentClient, createDynamoDbClient } from '../../adapters/dynamodb/client.js';
import { PowertoolsWriteGuard } from '../../adapters/dynamodb/powertools-write-guard.js';
import { DynamoDbSessionStore } from '../../adapters/dynamodb/session-store.js';
import { ExamplePf360Client } from '../../adapters/pf360/example-client.js';
import { Pf360HttpClient } from '../../adapters/pf360/http-client.js';
import { ExampleWeatherClient } from '../../adapters/weather/example-client.js';
import { OpenMeteoClient } from '../../adapters/weather/open-meteo.js';
import { loadActionConfig } from '../../config/env.js';
import { createLogger } from '../../observability/logger.js';
import type { ActionDeps } from './context.js';

export function createActionDeps(service: string, env: Record<string, string | undefined> = process.env): ActionDeps {
  const config = loadActionConfig(env);
  const logger = createLogger(service);
  const dynamodb = createDynamoDbClient(env);
  const documents = createDocumentClient(dynamodb);
  return {
    config,
    logger,
    sessions: new DynamoDbSessionStore(documents, config.sessionsTable, config.sessionTtlSeconds),
    writes: new PowertoolsWriteGuard(dynamodb, config.idempotencyTable, config.idempotencyTtlSeconds, logger),
    audit: new DynamoDbAuditLog(documents, config.auditTable, config.auditRetentionDays, logger),
    pf360: config.useMockApi
      ? new ExamplePf360Client()
      : new Pf360HttpClient({ baseUrl: config.pf360BaseUrl, policy: config.pf360Http, logger }),
    weather: config.useMockApi
      ? new ExampleWeatherClient()
      : new OpenMeteoClient({
          forecastBaseUrl: config.weatherBaseUrl,
          geocodingBaseUrl: config.geocodingBaseUrl,
          policy: config.weatherHttp,
          logger,
        }),
    clock: () => new Date(),
  };
}

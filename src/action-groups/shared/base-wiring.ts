/**
 * What every action-group Lambda builds once per cold start: configuration, the logger, the
 * DynamoDB clients and the session store, and the PF360 and weather clients. Nothing below this
 * reads the environment. The write stack (idempotency, audit) is added by wiring.ts for the
 * groups that write, so the read-only group's bundle does not carry it.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoDbClient } from '../../adapters/dynamodb/client.js';
import { DynamoDbSessionStore } from '../../adapters/dynamodb/session-store.js';
import { ExamplePf360Client } from '../../adapters/pf360/example-client.js';
import { Pf360HttpClient } from '../../adapters/pf360/http-client.js';
import { ExampleWeatherClient } from '../../adapters/weather/example-client.js';
import { OpenMeteoClient } from '../../adapters/weather/open-meteo.js';
import { withPlaceCache } from '../../adapters/weather/place-cache.js';
import type { Env } from '../../config/env.js';
import { loadActionConfig } from '../../config/env.js';
import { createLogger } from '../../observability/logger.js';
import type { ActionDeps } from './context.js';

export interface BaseWiring {
  deps: ActionDeps;
  dynamodb: DynamoDBClient;
  documents: DynamoDBDocumentClient;
}

export function createBaseWiring(service: string, env?: Env): BaseWiring {
  const config = loadActionConfig(env);
  const logger = createLogger(service);
  const dynamodb = createDynamoDbClient(config.dynamodb);
  const documents = createDocumentClient(dynamodb);
  const clock = () => new Date();
  const calendar = { clock, timeZone: config.defaultTimeZone };
  return {
    dynamodb,
    documents,
    deps: {
      config,
      logger,
      sessions: new DynamoDbSessionStore(documents, config.sessionsTable, config.sessionTtlSeconds),
      pf360: config.useMockApi
        ? new ExamplePf360Client(calendar)
        : new Pf360HttpClient({ baseUrl: config.pf360BaseUrl, policy: config.pf360Http, logger }),
      weather: withPlaceCache(
        config.useMockApi
          ? new ExampleWeatherClient(calendar)
          : new OpenMeteoClient({
              forecastBaseUrl: config.weatherBaseUrl,
              geocodingBaseUrl: config.geocodingBaseUrl,
              policy: config.weatherHttp,
              logger,
            }),
      ),
      clock,
    },
  };
}

/** The information group's dependencies: it never writes, so it gets no write stack. */
export function createReadOnlyActionDeps(service: string, env?: Env): ActionDeps {
  return createBaseWiring(service, env).deps;
}

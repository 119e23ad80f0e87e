/** Composition root of the chat Lambda: configuration, clients and adapters, built once per cold start. */
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { createDocumentClient, createDynamoDbClient } from '../adapters/dynamodb/client.js';
import { DynamoDbRateLimiter } from '../adapters/dynamodb/rate-limiter.js';
import { DynamoDbSessionStore } from '../adapters/dynamodb/session-store.js';
import type { Env } from '../config/env.js';
import { createLogger } from '../observability/logger.js';
import { createTokenVerifier } from './auth.js';
import { loadChatConfig } from './config.js';
import { type ChatHttpDeps, createChatHttpHandler } from './http.js';
import { ChatService } from './service.js';

/**
 * One attempt: InvokeAgent runs the agent (and its actions), so an SDK retry after a lost answer
 * could run a turn twice; the customer gets a clear error and may try again.
 */
export function createAgentClient(region: string): BedrockAgentRuntimeClient {
  return new BedrockAgentRuntimeClient({ region, maxAttempts: 1 });
}

export function createChatDeps(env?: Env, agentClient?: Pick<BedrockAgentRuntimeClient, 'send'>): ChatHttpDeps {
  const config = loadChatConfig(env);
  const logger = createLogger('pf360-chat');
  const documents = createDocumentClient(createDynamoDbClient(config.dynamodb));
  const sessions = new DynamoDbSessionStore(documents, config.sessionsTable, config.sessionTtlSeconds);
  const clock = () => new Date();
  const agentConfig = config.agent;
  const service = agentConfig
    ? new ChatService({
        config: { ...config, agent: agentConfig },
        sessions,
        agent: agentClient ?? createAgentClient(agentConfig.region),
        clock,
        logger,
      })
    : undefined;
  return {
    ...(service ? { service } : {}),
    verifyToken: createTokenVerifier(config.jwt),
    rateLimiter: new DynamoDbRateLimiter(documents, config.sessionsTable, config.rateLimitPerMinute),
    clock,
    logger,
  };
}

export function createChatHandler(env?: Env, agentClient?: Pick<BedrockAgentRuntimeClient, 'send'>) {
  return createChatHttpHandler(createChatDeps(env, agentClient));
}

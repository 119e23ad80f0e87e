/** Composition root of the chat API: configuration, clients and adapters, built once per cold start. */

import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { createDocumentClient, createDynamoDbClient } from '../adapters/dynamodb/client.js';
import { DynamoDbRateLimiter } from '../adapters/dynamodb/rate-limiter.js';
import { DynamoDbSessionStore } from '../adapters/dynamodb/session-store.js';
import type { CodeAgentConfig } from '../agent/config.js';
import { ConfigError, type Env } from '../config/env.js';
import { createLogger, type Logger } from '../observability/logger.js';
import type { AgentRunner } from './agent-runner.js';
import { AgentCoreRunner, httpRuntimeTransport, invokeAgentRuntimeTransport } from './agentcore-runner.js';
import { createTokenVerifier } from './auth.js';
import { ClassicAgentRunner } from './classic-runner.js';
import { type ChatConfig, loadChatConfig } from './config.js';
import { type ChatHttpDeps, createChatHttpHandler } from './http.js';
import { ChatService } from './service.js';

/**
 * One attempt: InvokeAgent runs the agent (and its actions), so an SDK retry after a lost answer
 * could run a turn twice; the customer gets a clear error and may try again.
 */
export function createAgentClient(region: string): BedrockAgentRuntimeClient {
  return new BedrockAgentRuntimeClient({ region, maxAttempts: 1 });
}

/** Builds the code-defined agent's runner; given where it runs in-process (the local stack). */
export type CodeAgentFactory = (options: {
  agent: CodeAgentConfig;
  config: ChatConfig;
  env: Env | undefined;
  logger: Logger;
}) => AgentRunner;

/**
 * One attempt: InvokeAgentRuntime runs a turn of the agent, whose tools may make a change; a
 * retry after a lost answer could make it twice.
 */
export function createAgentCoreClient(region: string): BedrockAgentCoreClient {
  return new BedrockAgentCoreClient({ region, maxAttempts: 1 });
}

export interface ChatWiringOptions {
  /** Bedrock Agents' client (tests pass a stub). */
  agentClient?: Pick<BedrockAgentRuntimeClient, 'send'>;
  /** AgentCore's data-plane client (tests pass one pointed at a stand-in). */
  agentCoreClient?: Pick<BedrockAgentCoreClient, 'send'>;
  /**
   * The code-defined agent in-process. The chat Lambda is built without it: on AWS that agent
   * runs on AgentCore Runtime, and its bundle (Strands) stays out of the Lambda's.
   */
  codeAgent?: CodeAgentFactory;
}

function runnerFor(config: ChatConfig, env: Env | undefined, logger: Logger, options: ChatWiringOptions) {
  const platform = config.agent;
  if (!platform) return undefined;
  if (platform.kind === 'code') {
    if (!options.codeAgent) {
      throw new ConfigError(
        'AGENT_PROVIDER selects the code-defined agent, which runs on the local stack (npm start) and on AgentCore Runtime, not inside this function',
      );
    }
    return options.codeAgent({ agent: platform.agent, config, env, logger });
  }
  if (platform.kind === 'agentcore') {
    const { runtime } = platform;
    const transport =
      'url' in runtime
        ? httpRuntimeTransport(runtime.url)
        : invokeAgentRuntimeTransport(
            options.agentCoreClient ?? createAgentCoreClient(runtime.region),
            runtime.arn,
            runtime.qualifier,
          );
    return new AgentCoreRunner({ transport, timeoutMs: config.agentTimeoutMs, logger });
  }
  return new ClassicAgentRunner({
    agent: options.agentClient ?? createAgentClient(platform.region),
    agentId: platform.agentId,
    agentAliasId: platform.agentAliasId,
    enableTrace: config.enableTrace,
    timeoutMs: config.agentTimeoutMs,
    defaultTimeZone: config.defaultTimeZone,
    clock: () => new Date(),
    logger,
  });
}

export function createChatDeps(env?: Env, options: ChatWiringOptions = {}): ChatHttpDeps {
  const config = loadChatConfig(env);
  const logger = createLogger('pf360-chat');
  const documents = createDocumentClient(createDynamoDbClient(config.dynamodb));
  const sessions = new DynamoDbSessionStore(documents, config.sessionsTable, config.sessionTtlSeconds);
  const clock = () => new Date();
  const runner = runnerFor(config, env, logger, options);
  return {
    ...(runner ? { service: new ChatService({ stage: config.stage, sessions, runner, clock, logger }) } : {}),
    verifyToken: createTokenVerifier(config.jwt),
    rateLimiter: new DynamoDbRateLimiter(documents, config.sessionsTable, config.rateLimitPerMinute),
    clock,
    logger,
  };
}

export function createChatHandler(env?: Env, options: ChatWiringOptions = {}) {
  return createChatHttpHandler(createChatDeps(env, options));
}

/**
 * The runtime server's composition root, shared by the AgentCore entry point (app.ts) and the
 * local stack: the code-defined agent (its tools calling the action groups' handlers in-process),
 * the sessions the chat backend creates, and the HTTP contract in front of them.
 */
import type { Server } from 'node:http';
import type { Model } from '@strands-agents/sdk';
import { createDocumentClient, createDynamoDbClient } from '../../adapters/dynamodb/client.js';
import { DynamoDbSessionStore } from '../../adapters/dynamodb/session-store.js';
import { loadCodeAgentConfig } from '../../agent/config.js';
import { createCodeAgentRunner } from '../../agent/wiring.js';
import { ConfigError, type Env, int, loadSharedConfig, processEnv, str } from '../../config/env.js';
import { createLogger } from '../../observability/logger.js';
import { createRuntimeServer } from './server.js';

export interface RuntimeSettings {
  host: string;
  port: number;
}

/** Where the server listens: AgentCore's contract is 0.0.0.0:8080; the local stack picks a port. */
export function loadRuntimeSettings(env: Env = processEnv()): RuntimeSettings {
  return { host: str(env, 'HOST', '0.0.0.0'), port: int(env, 'PORT', 8080, 0, 65_535) };
}

export function createRuntime(env?: Env, options: { model?: Model } = {}): Server {
  const logger = createLogger('pf360-agent-runtime');
  const agent = loadCodeAgentConfig(env);
  if (!agent) throw new ConfigError('AGENT_PROVIDER must be set: the runtime serves the code-defined agent');
  const shared = loadSharedConfig(env);
  const sessions = new DynamoDbSessionStore(
    createDocumentClient(createDynamoDbClient(shared.dynamodb)),
    shared.sessionsTable,
    shared.sessionTtlSeconds,
  );
  const runner = createCodeAgentRunner({ agent, env, logger, ...(options.model ? { model: options.model } : {}) });
  return createRuntimeServer({ runner, sessions, clock: () => new Date(), logger });
}

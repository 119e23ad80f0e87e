/**
 * The code-defined agent's composition root, shared by the local stack and the AgentCore runtime:
 * the three action groups' handlers behind the tool invoker (the same handlers the Lambdas run),
 * the conversation store beside the sessions, and the configured model.
 */
import { configureLogging, type Model } from '@strands-agents/sdk';
import { createInformationHandler } from '../action-groups/information/index.js';
import { createNotesHandler } from '../action-groups/notes/index.js';
import { createSchedulingHandler } from '../action-groups/scheduling/index.js';
import { createReadOnlyActionDeps } from '../action-groups/shared/base-wiring.js';
import { createActionDeps } from '../action-groups/shared/wiring.js';
import { createDocumentClient, createDynamoDbClient } from '../adapters/dynamodb/client.js';
import { DynamoDbConversationStore } from '../adapters/dynamodb/conversation-store.js';
import { type Env, loadSharedConfig } from '../config/env.js';
import type { Logger } from '../observability/logger.js';
import { createToolInvoker } from '../tools/invoke-tool.js';
import type { CodeAgentConfig } from './config.js';
import { createModel } from './models.js';
import { CodeAgentRunner } from './runner.js';

export interface CodeAgentWiring {
  agent: CodeAgentConfig;
  env?: Env | undefined;
  logger: Logger;
  /** A model instead of the configured one (tests: a scripted model). */
  model?: Model;
}

/**
 * The SDK's own log lines into ours. Only a line's first argument, when it is text, is kept: the
 * SDK passes payloads (tool inputs, model output) as further arguments, and those never reach logs.
 */
function routeSdkLogs(logger: Logger): void {
  const line = (level: 'warn' | 'error') => (message?: unknown) =>
    logger[level]('agent sdk', typeof message === 'string' ? { sdk_message: message.slice(0, 200) } : {});
  configureLogging({ debug: () => undefined, info: () => undefined, warn: line('warn'), error: line('error') });
}

export function createCodeAgentRunner(options: CodeAgentWiring): CodeAgentRunner {
  const { env } = options;
  routeSdkLogs(options.logger);
  const shared = loadSharedConfig(env);
  const invoke = createToolInvoker({
    scheduling: createSchedulingHandler(createActionDeps('pf360-agent-scheduling', env)),
    information: createInformationHandler(createReadOnlyActionDeps('pf360-agent-information', env)),
    notes: createNotesHandler(createActionDeps('pf360-agent-notes', env)),
  });
  const documents = createDocumentClient(createDynamoDbClient(shared.dynamodb));
  return new CodeAgentRunner({
    model: options.model ?? createModel(options.agent),
    invoke,
    conversations: new DynamoDbConversationStore(documents, shared.sessionsTable, shared.sessionTtlSeconds),
    timeoutMs: options.agent.timeoutMs,
    defaultTimeZone: shared.defaultTimeZone,
    clock: () => new Date(),
    logger: options.logger,
  });
}

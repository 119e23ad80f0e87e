/**
 * The bench's "chat + code agent" bundle: the chat handler with the code-defined agent in-process,
 * as the local stack runs it (scripts/local/chat.ts) — what the chat costs to load when it carries
 * the agent. Deployed stages do not ship it: the chat Lambda reaches the agent on AgentCore.
 */
import { createCodeAgentRunner } from '../../../src/agent/wiring.js';
import { createChatHandler } from '../../../src/chat/wiring.js';

export const handler = createChatHandler(undefined, { codeAgent: (options) => createCodeAgentRunner(options) });

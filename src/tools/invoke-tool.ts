/**
 * The 13 operations as tools: a tool call becomes the exact Bedrock event the action group
 * would get (values as strings, parameters vs body as the spec says), and runs through the same
 * edge — validation, session, ownership, offered-slot guard, idempotent writes, audit — so the
 * MCP server and the AgentCore Gateway target have no second implementation.
 */
import { actionCatalog } from '../../generated/catalog/actions.js';
import { mcpTools } from '../../generated/catalog/mcp-tools.js';
import { type ActionGroupName, buildBedrockEvent } from '../bedrock/build-event.js';
import type { ActionHandler, InvocationContext } from '../bedrock/dispatch.js';
import { AppError, toErrorResponse } from '../domain/errors.js';

export const toolNames: readonly string[] = mcpTools.map((t) => t.tool.name);

/**
 * The tools whose operations their spec marks `x-requireConfirmation`: they change the customer's
 * data and run only after the customer's yes (the agent's hook, or the two-step call of
 * src/tools/two-step.ts on the Gateway and MCP surfaces).
 */
export const writeTools: ReadonlySet<string> = new Set(
  Object.values(actionCatalog)
    .flat()
    .filter((operation) => operation.requiresConfirmation)
    .map((operation) => operation.operationId),
);

export interface ToolResult {
  /** The action's HTTP-like status: 200, or the 4xx/5xx of its error. */
  status: number;
  /** The action's body: its result, or `{ error, error_type }`. */
  body: Record<string, unknown>;
}

export type ToolInvoker = (
  name: string,
  args: unknown,
  sessionId: string,
  context?: InvocationContext,
) => Promise<ToolResult>;

export function createToolInvoker(handlers: Record<ActionGroupName, ActionHandler>): ToolInvoker {
  const routes = new Map<string, (typeof mcpTools)[number]['route']>(mcpTools.map((t) => [t.tool.name, t.route]));
  return async (name, args, sessionId, context) => {
    const route = routes.get(name);
    if (!route) {
      return toErrorResponse(
        new AppError('unknown_tool', `There is no tool named ${name}; use one of: ${toolNames.join(', ')}.`),
      );
    }
    const values = args && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
    const group = route.group as ActionGroupName;
    const envelope = await handlers[group](
      buildBedrockEvent({ group, httpMethod: route.method, apiPath: route.apiPath, sessionId, values }),
      context,
    );
    return {
      status: envelope.response.httpStatusCode,
      body: JSON.parse(envelope.response.responseBody['application/json'].body) as Record<string, unknown>,
    };
  };
}

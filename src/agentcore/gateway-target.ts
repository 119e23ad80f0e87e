/**
 * The operations as an AgentCore Gateway Lambda target:
 * the Gateway invokes the function with the tool's arguments flat in the event and the tool name,
 * prefixed with the target name (`<target>___<tool>`), in the Lambda client context, and expects
 * plain JSON back.
 *
 * Identity never comes from the arguments: the Gateway's session id (client context) names the
 * server-side session — created, like a Bedrock session, by the backend that authenticated the
 * customer — and the action reads customer, tenant and PF360 token from there. Identity-like
 * arguments are not in the tool schemas and are dropped by the edge.
 */
import { randomUUID } from 'node:crypto';
import { AppError, toErrorResponse } from '../domain/errors.js';
import type { Logger } from '../observability/logger.js';
import { type ToolInvoker, toolNames } from '../tools/invoke-tool.js';

export interface GatewayLambdaContext {
  awsRequestId?: string;
  getRemainingTimeInMillis?: () => number;
  clientContext?: unknown;
}

export type GatewayTargetHandler = (event: unknown, context?: GatewayLambdaContext) => Promise<Record<string, unknown>>;

/** The client context's custom fields, whichever casing the runtime and the Gateway used. */
function customFields(context: GatewayLambdaContext | undefined): Record<string, unknown> {
  const client = context?.clientContext as Record<string, unknown> | undefined;
  const custom = (client?.custom ?? client?.Custom) as Record<string, unknown> | undefined;
  return custom && typeof custom === 'object' ? custom : {};
}

function field(custom: Record<string, unknown>, name: string): string | undefined {
  const key = Object.keys(custom).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : custom[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `pf360-tools___confirm_appointment` → `confirm_appointment`. */
export function toolNameOf(qualified: string): string {
  const at = qualified.lastIndexOf('___');
  return at >= 0 ? qualified.slice(at + 3) : qualified;
}

export function createGatewayTargetHandler(invoke: ToolInvoker, logger: Logger): GatewayTargetHandler {
  return async (event, context) => {
    const custom = customFields(context);
    const qualified = field(custom, 'bedrockAgentCoreToolName');
    const sessionId = field(custom, 'bedrockAgentCoreSessionId');
    const tool = qualified ? toolNameOf(qualified) : undefined;
    logger.resetKeys();
    logger.appendKeys({ correlation_id: context?.awsRequestId ?? randomUUID(), tool: tool ?? 'none' });
    try {
      if (!tool) throw new AppError('unknown_tool', `The request names no tool; use one of: ${toolNames.join(', ')}.`);
      if (!sessionId) {
        throw new AppError(
          'session_missing',
          'There is no session for this conversation; the customer must sign in again.',
        );
      }
      const { status, body } = await invoke(tool, event, sessionId, context);
      return status < 400 ? body : { ...body, status };
    } catch (error) {
      const { status, body } = toErrorResponse(error, logger);
      return { ...body, status };
    }
  };
}

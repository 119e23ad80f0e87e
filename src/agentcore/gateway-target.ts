/**
 * The operations as an AgentCore Gateway Lambda target: the Gateway invokes the function with the
 * tool's arguments flat in the event and the tool name, prefixed with the target name
 * (`<target>___<tool>`), in the Lambda client context, and expects plain JSON back.
 *
 * Identity comes only from a verified token. The REQUEST interceptor (interceptor.ts) puts the
 * caller's bearer JWT into the arguments as `_pf360`; this target verifies it again with the same
 * verifier — so a direct invoke with a made-up `_pf360` fails too — and works in the session of
 * the customer the token names, created or carried on by the chat's rules (customer-session.ts)
 * under an id derived from that identity (gateway-contract.ts). Nothing the caller chose selects
 * the session: not the Gateway's session id, not a customer, client or session id among the
 * arguments — those, `_pf360` and anything else the tool does not declare are dropped before the
 * operation sees the input. Writes take two calls (src/tools/two-step.ts).
 */
import { randomUUID } from 'node:crypto';
import type { TokenVerifier } from '../chat/auth.js';
import { openCustomerSession } from '../chat/customer-session.js';
import { AppError, toErrorResponse } from '../domain/errors.js';
import { type Logger, sessionRef } from '../observability/logger.js';
import type { SessionStore } from '../ports/session-store.js';
import { type ToolInvoker, toolNames } from '../tools/invoke-tool.js';
import { runWithConfirmation, toolArguments } from '../tools/two-step.js';
import { gatewayIdentityOf, gatewaySessionId, toolNameOf } from './gateway-contract.js';

export interface GatewayLambdaContext {
  awsRequestId?: string;
  getRemainingTimeInMillis?: () => number;
  clientContext?: unknown;
}

export type GatewayTargetHandler = (event: unknown, context?: GatewayLambdaContext) => Promise<Record<string, unknown>>;

export interface GatewayTargetDeps {
  invoke: ToolInvoker;
  verifyToken: TokenVerifier;
  sessions: SessionStore;
  stage: string;
  clock: () => Date;
  logger: Logger;
}

/** The client context's custom fields, whichever casing the runtime and the Gateway used. */
function customFields(context: GatewayLambdaContext | undefined): Record<string, unknown> {
  const client = context?.clientContext as Record<string, unknown> | undefined;
  const custom = (client?.custom ?? client?.Custom) as Record<string, unknown> | undefined;
  return custom && typeof custom === 'object' ? custom : {};
}

/** The tool this call names (`bedrockAgentCoreToolName`, any casing), without the target prefix. */
function toolOf(context: GatewayLambdaContext | undefined): string | undefined {
  const custom = customFields(context);
  const key = Object.keys(custom).find((k) => k.toLowerCase() === 'bedrockagentcoretoolname');
  const value = key === undefined ? undefined : custom[key];
  return typeof value === 'string' && value !== '' ? toolNameOf(value) : undefined;
}

export function createGatewayTargetHandler(deps: GatewayTargetDeps): GatewayTargetHandler {
  const { logger } = deps;
  return async (event, context) => {
    const tool = toolOf(context);
    logger.resetKeys();
    logger.appendKeys({
      correlation_id: context?.awsRequestId ?? randomUUID(),
      tool: tool && toolNames.includes(tool) ? tool : 'unknown',
    });
    try {
      if (!tool || !toolNames.includes(tool)) {
        throw new AppError(
          'unknown_tool',
          `${tool ? `There is no tool named ${tool}` : 'The request names no tool'}; use one of: ${toolNames.join(', ')}.`,
        );
      }
      const identity = gatewayIdentityOf(event);
      const who = await deps.verifyToken(`Bearer ${identity.token}`);
      const sessionId = gatewaySessionId(who, identity.mcp_session_id);
      await openCustomerSession(deps, {
        who,
        pf360Token: identity.pf360_token,
        pf360TokenField: 'X-PF360-Token',
        resumeId: sessionId,
        newId: () => sessionId,
        now: deps.clock(),
      });
      logger.appendKeys({ session: sessionRef(sessionId) });
      const { status, body } = await runWithConfirmation({
        tool,
        args: toolArguments(tool, event),
        sessionId,
        invoke: deps.invoke,
        sessions: deps.sessions,
        clock: deps.clock,
        // The Lambda's budget and request id only: whatever else a context holds is not ours to pass on.
        context: {
          ...(context?.awsRequestId ? { awsRequestId: context.awsRequestId } : {}),
          ...(context?.getRemainingTimeInMillis ? { getRemainingTimeInMillis: context.getRemainingTimeInMillis } : {}),
        },
      });
      return status < 400 ? body : { ...body, status };
    } catch (error) {
      const { status, body } = toErrorResponse(error, logger);
      logger.warn('tool call refused', { status, error_type: body.error_type });
      return { ...body, status };
    }
  };
}

/**
 * The MCP server of the 13 operations, one factory for both transports (stdio: `npm run mcp`;
 * Streamable HTTP: `/mcp` on the local gateway, http.ts). Built on the SDK's low-level `Server`
 * with the catalog's plain JSON Schema tools (tools.ts).
 *
 * Every call works in the customer's session, found or started by the chat's rules
 * (chat/customer-session.ts) for the customer `customerOf` names — the verified token's over
 * HTTP, the one chosen at start over stdio — never for anything among the arguments (undeclared
 * arguments are dropped before the operation sees them). The session id is derived from that
 * customer, so their MCP connections, one after the other or side by side, share one session:
 * the dates and slots a client fetched, and a pending confirmation, carry over.
 *
 * Writes run only after the customer's yes, one of two ways:
 * - the client can elicit (it declared `elicitation` with forms): the change is checked first
 *   (its dry run) and the customer is asked through `elicitation/create`, a form with the
 *   change's summary and confirm / deny. Only accept + confirm makes the change; deny, decline,
 *   cancel or no answer change nothing and say so. A `confirmation_id` argument is ignored: the
 *   customer's own answer in their client is the stronger proof.
 * - otherwise, the two-step call of src/tools/two-step.ts: the first call answers the question
 *   and a confirmation id, only a second call with that id and the same arguments makes it.
 * Both go through runWithConfirmation, so the backend verifies the yes the same way.
 *
 * Results: the operation's body as structuredContent (it validates against the tool's
 * outputSchema) plus the same JSON as text; an error is `isError` with the error body as text.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  type ElicitRequestFormParams,
  ListToolsRequestSchema,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { CustomerIdentity } from '../chat/auth.js';
import { openCustomerSession } from '../chat/customer-session.js';
import { toErrorResponse } from '../domain/errors.js';
import { type Logger, sessionRef } from '../observability/logger.js';
import type { SessionStore } from '../ports/session-store.js';
import { type ToolInvoker, type ToolResult, toolNames, writeTools } from '../tools/invoke-tool.js';
import { type ConfirmationRequired, runWithConfirmation, toolArguments } from '../tools/two-step.js';
import { confirmationIdName, confirmationLifetimeMinutes } from '../tools/two-step-schema.js';
import { mcpServerTools, type NotConfirmed, type NotConfirmedAnswer } from './tools.js';

export type McpRequestExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** The customer a request is for, and how they sent (or would send) their PF360 token. */
export interface McpCustomer {
  who: CustomerIdentity;
  /** The PF360 token this request carried: needed to start a session, refreshes a live one. */
  pf360Token: string | undefined;
  /** Where the client sends it, for the error when a new session needs it. */
  pf360TokenField: string;
}

export interface McpServerDeps {
  invoke: ToolInvoker;
  sessions: SessionStore;
  stage: string;
  clock: () => Date;
  logger: Logger;
  /** Who this request is for: only from a verified token (HTTP) or the operator's choice (stdio). */
  customerOf: (extra: McpRequestExtra) => McpCustomer;
  /** How long the customer has to answer an elicitation; the confirmation lifetime by default. */
  elicitationTimeoutMs?: number;
}

export const serverInfo = { name: 'pf360-scheduling', version: '1.0.0' } as const;

const instructions =
  'Tools for a ProjectsForce customer who is already signed in: list their projects, offer dates and time slots, book, reschedule or cancel appointments, check status, hours and weather, add notes. Never ask for customer ids or tokens. Offer only dates and slots the tools returned. A tool that changes data runs only after the customer confirms: either they are asked directly, or the first call answers confirmation_required with a summary to read to them and a confirmation_id for the second call.';

/**
 * The session of a customer's MCP calls, derived from the verified identity: the same customer
 * always comes back to it (on either transport), and there is no id a caller could pass to reach
 * another's. `m-` keeps these apart from the chat's `s-` and the Gateway's `g-` ids.
 */
export function mcpCustomerSessionId(who: Pick<CustomerIdentity, 'clientId' | 'customerId'>): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(['pf360-mcp-session/1', who.clientId, who.customerId]))
    .digest('base64url');
  return `m-${digest}`;
}

/** A tool's answer as MCP returns it: the body as structuredContent and as text, or an error. */
export function toCallResult({ status, body }: ToolResult): CallToolResult {
  const text = JSON.stringify(body);
  if (status >= 400) return { content: [{ type: 'text', text }], isError: true };
  return { content: [{ type: 'text', text }], structuredContent: body };
}

/** The form a write's question is put to the customer with: the summary, and confirm or deny. */
export function confirmationForm(question: Pick<ConfirmationRequired, 'summary'>): ElicitRequestFormParams {
  return {
    mode: 'form',
    message: `${question.summary}\n\nConfirm to make this change, or deny to leave everything as it is.`,
    requestedSchema: {
      type: 'object',
      properties: {
        decision: {
          type: 'string',
          title: 'Make this change?',
          oneOf: [
            { const: 'confirm', title: 'Confirm: make the change' },
            { const: 'deny', title: 'Deny: change nothing' },
          ],
        },
      },
      required: ['decision'],
    },
  };
}

const notConfirmedMessages: Record<NotConfirmedAnswer, string> = {
  declined: 'The customer declined, so nothing was changed.',
  denied: 'The customer chose not to make this change, so nothing was changed.',
  cancelled: 'The customer closed the question without answering, so nothing was changed.',
  not_answered: 'The customer could not be asked (no answer in time, or the client failed), so nothing was changed.',
};

const unanswered = { decline: 'declined', cancel: 'cancelled' } as const;

function notConfirmed(question: ConfirmationRequired, answer: NotConfirmedAnswer): ToolResult {
  const body: NotConfirmed = {
    confirmed: false,
    answer,
    operation: question.operation,
    summary: question.summary,
    message: `${notConfirmedMessages[answer]} Ask the customer what they would like instead; call the tool again only if they ask for the change again.`,
  };
  return { status: 200, body: { ...body } };
}

export function createMcpServer(deps: McpServerDeps): Server {
  const server = new Server(serverInfo, { capabilities: { tools: {} }, instructions });
  const elicitationTimeoutMs = deps.elicitationTimeoutMs ?? confirmationLifetimeMinutes * 60_000;
  const canElicit = () => server.getClientCapabilities()?.elicitation?.form !== undefined;

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: structuredClone([...mcpServerTools]) }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = request.params.name;
    const correlationId = randomUUID();
    const logger = deps.logger.createChild({
      persistentKeys: { correlation_id: correlationId, tool: toolNames.includes(tool) ? tool : 'unknown' },
    });
    try {
      const { who, pf360Token, pf360TokenField } = deps.customerOf(extra);
      const sessionId = mcpCustomerSessionId(who);
      await openCustomerSession(
        { sessions: deps.sessions, stage: deps.stage, logger },
        { who, pf360Token, pf360TokenField, resumeId: sessionId, newId: () => sessionId, now: deps.clock() },
      );
      const call = {
        tool,
        args: request.params.arguments ?? {},
        sessionId,
        invoke: deps.invoke,
        sessions: deps.sessions,
        clock: deps.clock,
        context: { awsRequestId: correlationId },
      };
      const elicit = writeTools.has(tool) && canElicit();
      const result = elicit ? await askByElicitation(call, extra, logger) : await runWithConfirmation(call);
      logger.info('tool call', {
        session: sessionRef(sessionId),
        status: result.status,
        confirmation: writeTools.has(tool) ? (elicit ? 'elicitation' : 'two-step') : 'none',
        ...(result.status >= 400 ? { error_type: result.body.error_type } : {}),
      });
      return toCallResult(result);
    } catch (error) {
      const refused = toErrorResponse(error, logger);
      logger.warn('tool call refused', { status: refused.status, error_type: refused.body.error_type });
      return toCallResult(refused);
    }
  });

  /**
   * A write with a client that can elicit: the two-step module checks the change and issues the
   * question; the customer answers it in their client; only their confirm takes the question up
   * as the second call would. Any other answer uses it up unanswered, so it cannot be confirmed later.
   */
  async function askByElicitation(
    call: Parameters<typeof runWithConfirmation>[0],
    extra: McpRequestExtra,
    logger: Logger,
  ): Promise<ToolResult> {
    const { [confirmationIdName]: _ignored, ...args } = toolArguments(call.tool, call.args);
    const asked = await runWithConfirmation({ ...call, args });
    if (asked.status >= 400 || asked.body.confirmation_required !== true) return asked;
    const question = asked.body as unknown as ConfirmationRequired;
    let answer: NotConfirmedAnswer | 'confirm';
    try {
      const result = await server.elicitInput(confirmationForm(question), {
        relatedRequestId: extra.requestId,
        signal: extra.signal,
        timeout: elicitationTimeoutMs,
      });
      answer =
        result.action === 'accept'
          ? result.content?.decision === 'confirm'
            ? 'confirm'
            : 'denied'
          : unanswered[result.action];
    } catch (error) {
      logger.warn('confirmation not answered', { cause: error instanceof Error ? error.name : typeof error });
      answer = 'not_answered';
    }
    if (answer === 'confirm') {
      return runWithConfirmation({ ...call, args: { ...args, [confirmationIdName]: question.confirmation_id } });
    }
    await call.sessions.takePendingConfirmation(call.sessionId, question.confirmation_id, call.clock());
    logger.info('change not confirmed', { answer });
    return notConfirmed(question, answer);
  }

  return server;
}

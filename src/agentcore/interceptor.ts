/**
 * The AgentCore Gateway's REQUEST interceptor: it runs before the Gateway calls the Lambda target
 * and is the one place that sees the MCP request's headers (with PassRequestHeaders: true; the
 * Gateway passes their names lower-cased). For a `tools/call` it verifies the caller's bearer JWT
 * with the chat API's verifier (JWKS, issuer, audience, expiry) and passes the call on with the
 * token in the arguments as `_pf360` (gateway-contract.ts), replacing anything the caller put
 * there; a call whose token does not verify is answered here and never reaches the target.
 * Every other method (initialize, tools/list, notifications, …) passes through unchanged.
 *
 * A refusal is a tool result with `isError: true` (HTTP 200, the request's JSON-RPC id), not a
 * JSON-RPC error: MCP clients hand a tool result's text to the model, which can then tell the
 * customer to sign in again, whereas many of them turn a JSON-RPC error into an exception that
 * ends the agent's turn with nothing said.
 *
 * Input and output shapes: https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-interceptors.html
 * (`mcp.gatewayRequest.{headers, body}` in; `mcp.transformedGatewayRequest.body` to pass on, or
 * `mcp.transformedGatewayResponse` to answer directly).
 */
import { randomUUID } from 'node:crypto';
import type { TokenVerifier } from '../chat/auth.js';
import { toErrorResponse, validationError } from '../domain/errors.js';
import { isPf360Token, pf360TokenRule } from '../domain/pf360-token.js';
import type { Logger } from '../observability/logger.js';
import { toolNames } from '../tools/invoke-tool.js';
import {
  type GatewayIdentity,
  identityArgument,
  identityHeaders,
  isMcpSessionId,
  toolNameOf,
} from './gateway-contract.js';

export interface InterceptorEvent {
  interceptorInputVersion?: string;
  mcp?: {
    rawGatewayRequest?: { body?: string };
    gatewayRequest?: { path?: string; httpMethod?: string; headers?: Record<string, unknown>; body?: unknown };
  };
}

export type InterceptorOutput = {
  interceptorOutputVersion: '1.0';
  mcp:
    | { transformedGatewayRequest: { body: unknown } }
    | { transformedGatewayResponse: { statusCode: number; body: unknown } };
};

export type RequestInterceptor = (event: unknown, context?: { awsRequestId?: string }) => Promise<InterceptorOutput>;

export interface InterceptorDeps {
  verifyToken: TokenVerifier;
  logger: Logger;
}

type JsonRpcRequest = { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function passOn(body: unknown): InterceptorOutput {
  return { interceptorOutputVersion: '1.0', mcp: { transformedGatewayRequest: { body } } };
}

function answer(body: unknown): InterceptorOutput {
  return { interceptorOutputVersion: '1.0', mcp: { transformedGatewayResponse: { statusCode: 200, body } } };
}

/** A tool call refused: the sentence as the tool's error result, for the model to relay. */
function refusal(id: unknown, text: string): InterceptorOutput {
  return answer({ jsonrpc: '2.0', id: id ?? null, result: { isError: true, content: [{ type: 'text', text }] } });
}

/** Header names lower-cased; only string values (the Gateway sends nothing else). */
function lowerCased(headers: unknown): Record<string, string> {
  if (!isRecord(headers)) return {};
  return Object.fromEntries(
    Object.entries(headers)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .map(([name, value]) => [name.toLowerCase(), value]),
  );
}

/** The body as JSON: the Gateway gives it parsed, but a string is read the same way rather than passed on unchecked. */
function bodyOf(event: InterceptorEvent): unknown {
  const body = event.mcp?.gatewayRequest?.body;
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

const isToolCall = (body: unknown): body is JsonRpcRequest => isRecord(body) && body.method === 'tools/call';

export function createRequestInterceptor(deps: InterceptorDeps): RequestInterceptor {
  const { logger, verifyToken } = deps;

  /** The identity to pass on, from a verified token; throws the refusal otherwise. */
  async function identityFrom(headers: Record<string, string>): Promise<GatewayIdentity> {
    const authorization = headers[identityHeaders.authorization];
    await verifyToken(authorization);
    // Verified, so it is `Bearer <jwt>`; the target verifies the same token again.
    const token = (authorization ?? '').trim().replace(/^Bearer\s+/, '');
    const pf360Token = headers[identityHeaders.pf360Token];
    if (pf360Token !== undefined && !isPf360Token(pf360Token)) {
      throw validationError(`X-PF360-Token must be ${pf360TokenRule}.`, 'X-PF360-Token');
    }
    const mcpSessionId = headers[identityHeaders.mcpSessionId];
    return {
      token,
      ...(pf360Token === undefined ? {} : { pf360_token: pf360Token }),
      ...(isMcpSessionId(mcpSessionId) ? { mcp_session_id: mcpSessionId } : {}),
    };
  }

  return async (event, context) => {
    logger.resetKeys();
    logger.appendKeys({ correlation_id: context?.awsRequestId ?? randomUUID() });
    const input = (isRecord(event) ? event : {}) as InterceptorEvent;
    const body = bodyOf(input);

    if (Array.isArray(body)) {
      // JSON-RPC batches left MCP in 2025-06-18; one holding a tool call would need every call
      // checked and answered apart. Refused whole, so no unchecked call slips through.
      if (!body.some(isToolCall)) return passOn(body);
      logger.warn('batched tool call refused');
      return answer({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600, message: 'Send each tools/call as its own request; batches are not accepted.' },
      });
    }
    if (!isToolCall(body)) {
      logger.debug('request passed through', { method: isRecord(body) ? String(body.method) : 'none' });
      return passOn(input.mcp?.gatewayRequest?.body);
    }

    const params = isRecord(body.params) ? body.params : {};
    const name = typeof params.name === 'string' ? toolNameOf(params.name) : '';
    // Only names we know go into the logs: a caller's invented name could carry anything.
    logger.appendKeys({ tool: toolNames.includes(name) ? name : 'unknown' });
    try {
      if (params.arguments !== undefined && !isRecord(params.arguments)) {
        throw validationError('The tool arguments must be a JSON object.', 'arguments');
      }
      const identity = await identityFrom(lowerCased(input.mcp?.gatewayRequest?.headers));
      const { [identityArgument]: _callerSupplied, ...args } = params.arguments ?? {};
      logger.info('tool call passed on', {
        pf360_token: identity.pf360_token !== undefined,
        mcp_session: identity.mcp_session_id !== undefined,
      });
      return passOn({ ...body, params: { ...params, arguments: { ...args, [identityArgument]: identity } } });
    } catch (error) {
      const { status, body: refused } = toErrorResponse(error, logger);
      logger.warn('tool call refused', { status, error_type: refused.error_type });
      return refusal(body.id, refused.error);
    }
  };
}

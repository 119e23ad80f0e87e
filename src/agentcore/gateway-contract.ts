/**
 * What the Gateway's REQUEST interceptor hands the Lambda target, and how the target names the
 * customer's session — the contract between interceptor.ts and gateway-target.ts.
 *
 * A Lambda target gets only the tool's arguments and the tool name: nothing from the Gateway says
 * who the end user is (its `bedrockAgentCoreSessionId` is the Gateway's own, often empty, and
 * never proof of anything). So the interceptor, which does see the request's headers, puts the
 * caller's bearer token into the arguments as `_pf360` — after deleting whatever the caller put
 * there — and the target verifies that token again itself: identity comes from a token signed by
 * the portal, never from a value a caller chose. `_pf360` is not in any tool schema, so the model
 * is never invited to fill it.
 */
import { createHash } from 'node:crypto';
import type { CustomerIdentity } from '../chat/auth.js';
import { AppError, validationError } from '../domain/errors.js';
import { isPf360Token, pf360TokenRule } from '../domain/pf360-token.js';

/** The argument the interceptor sets on every `tools/call` it passes on. */
export const identityArgument = '_pf360';

export interface GatewayIdentity {
  /** The caller's bearer JWT, as the Gateway received it (without "Bearer "). */
  token: string;
  /** The customer's PF360 token from the X-PF360-Token header: needed to start a session, refreshes one. */
  pf360_token?: string;
  /** The MCP session (Mcp-Session-Id header): one server-side session per MCP session. */
  mcp_session_id?: string;
}

/** The headers the interceptor reads, lower-cased (the Gateway passes them lower-cased). */
export const identityHeaders = {
  authorization: 'authorization',
  pf360Token: 'x-pf360-token',
  mcpSessionId: 'mcp-session-id',
} as const;

/** An MCP session id: visible ASCII (the MCP specification's rule), bounded. */
const mcpSessionIdPattern = /^[\x21-\x7E]{1,256}$/;
const jwtPattern = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

export function isMcpSessionId(value: unknown): value is string {
  return typeof value === 'string' && mcpSessionIdPattern.test(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The interceptor's `_pf360` in a tool call's arguments, checked for shape (the token itself is
 * verified by the caller). A call without it did not come through the interceptor.
 */
export function gatewayIdentityOf(args: unknown): GatewayIdentity {
  const value = isRecord(args) ? args[identityArgument] : undefined;
  if (!isRecord(value) || typeof value.token !== 'string' || !jwtPattern.test(value.token)) {
    throw new AppError(
      'unauthorized',
      "This tool call carries no sign-in to verify: it must come through the PF360 gateway, which passes on the customer's token.",
    );
  }
  const { pf360_token: pf360Token, mcp_session_id: mcpSessionId } = value;
  if (pf360Token !== undefined && !isPf360Token(pf360Token)) {
    throw validationError(`X-PF360-Token must be ${pf360TokenRule}.`, 'X-PF360-Token');
  }
  if (mcpSessionId !== undefined && !isMcpSessionId(mcpSessionId)) {
    throw validationError('Mcp-Session-Id must be 1 to 256 visible ASCII characters.', 'Mcp-Session-Id');
  }
  return {
    token: value.token,
    ...(pf360Token === undefined ? {} : { pf360_token: pf360Token }),
    ...(mcpSessionId === undefined ? {} : { mcp_session_id: mcpSessionId }),
  };
}

/**
 * The session of a verified customer's Gateway calls, derived on the server from the token's
 * claims (and the MCP session, when there is one): the same customer always comes back to the
 * same session, and no caller can name another customer's — there is no id to pass in. 45
 * characters, within the session-id alphabet; `g-` keeps them apart from the chat's `s-` ids.
 */
export function gatewaySessionId(
  who: Pick<CustomerIdentity, 'clientId' | 'customerId'>,
  mcpSessionId?: string,
): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(['pf360-gateway-session/1', who.clientId, who.customerId, mcpSessionId ?? null]))
    .digest('base64url');
  return `g-${digest}`;
}

/** `pf360-tools___confirm_appointment` → `confirm_appointment` (the Gateway prefixes the target's name). */
export function toolNameOf(qualified: string): string {
  const at = qualified.lastIndexOf('___');
  return at >= 0 ? qualified.slice(at + 3) : qualified;
}

/**
 * The AgentCore Gateway's part in a tool call, played by the test: it builds the REQUEST
 * interceptor's input from an MCP request (headers lower-cased, as the Gateway passes them with
 * PassRequestHeaders), and either returns the interceptor's own answer or invokes the Lambda
 * target as the Gateway does — the arguments flat as the event, `<target>___<tool>` and the
 * Gateway's own session id in the client context — and wraps its JSON in an MCP tool result.
 * Also: portal-like token issuers (HS256 for unit tests, RS256 with a JWKS served over loopback
 * HTTP for integration tests), and the customers the tests sign in as.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { expect } from 'vitest';
import type { GatewayTargetHandler } from '../../src/agentcore/gateway-target.js';
import type { InterceptorOutput, RequestInterceptor } from '../../src/agentcore/interceptor.js';
import { sensitive } from './sensitive.js';

export const issuer = 'https://portal.example.com';
export const audience = 'pf360-scheduling-assistant';

/** Two customers of two tenants. */
export const customerA = { sub: '1645975', client_id: '09PF05VD', client_name: 'projectsforce-validation' };
export const customerB = { sub: '7777777', client_id: 'OTHERCO1', client_name: 'other-co' };

export interface TokenOptions {
  claims?: Record<string, unknown>;
  iss?: string;
  aud?: string;
  /** Expiry, seconds from now (negative: already expired). */
  expiresIn?: number;
  /** Sign with a key the portal does not publish. */
  foreignKey?: boolean;
}

export interface TokenIssuer {
  sign(who: Record<string, unknown>, options?: TokenOptions): Promise<string>;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function claimsOf(who: Record<string, unknown>, options: TokenOptions) {
  return new SignJWT({ given_name: 'Maria', ...who, ...options.claims })
    .setIssuer(options.iss ?? issuer)
    .setAudience(options.aud ?? audience)
    .setIssuedAt()
    .setExpirationTime(nowSeconds() + (options.expiresIn ?? 600));
}

/** Local mode's shared secret (no network: unit tests). */
export function hs256Issuer(secret: string): TokenIssuer {
  return {
    sign: (who, options = {}) =>
      claimsOf(who, options)
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(options.foreignKey ? `${secret}-but-not-the-portal's` : secret)),
  };
}

/** The portal as deployed stages see it: RS256 keys, the public one at a JWKS URL over HTTP. */
export async function rs256Issuer(): Promise<TokenIssuer & { jwksUrl: string; close(): Promise<void> }> {
  const portal = await generateKeyPair('RS256', { extractable: true });
  const stranger = await generateKeyPair('RS256');
  const keys: JWK[] = [{ ...(await exportJWK(portal.publicKey)), kid: 'portal-1', alg: 'RS256', use: 'sig' }];
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    // A forged token names the portal's kid but is signed with another key.
    sign: (who, options = {}) =>
      claimsOf(who, options)
        .setProtectedHeader({ alg: 'RS256', kid: 'portal-1' })
        .sign(options.foreignKey ? stranger.privateKey : portal.privateKey),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An unsigned token (`alg: none`) with valid-looking claims. */
export function unsignedToken(who: Record<string, unknown>): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...who, iss: issuer, aud: audience, exp: nowSeconds() + 600 })}.`;
}

/** The headers of a signed-in MCP client; `pf360Token` null: no X-PF360-Token header. */
export function signedIn(token: string, pf360Token: string | null = sensitive.gatewayToken, more = {}) {
  return {
    Authorization: `Bearer ${token}`,
    ...(pf360Token ? { 'X-PF360-Token': pf360Token } : {}),
    ...more,
  };
}

export type Outcome =
  /** The interceptor answered itself: the target was not called. */
  | {
      by: 'interceptor';
      response: { id: unknown; result?: { isError: boolean; content: { text: string }[] }; error?: unknown };
    }
  /** The target answered: its JSON, and the event the Gateway invoked it with. */
  | { by: 'target'; result: Record<string, unknown>; event: Record<string, unknown> };

export const targetName = 'pf360-tools';

/** The Lambda client context the Gateway sends; its session id is the Gateway's own, never proof of anything. */
export function gatewayContext(tool: string, gatewaySessionId = `gw-${randomUUID()}`) {
  return {
    awsRequestId: `req-${randomUUID()}`,
    getRemainingTimeInMillis: () => 25_000,
    clientContext: {
      custom: {
        bedrockAgentCoreGatewayId: 'pf360-gateway-abc123',
        bedrockAgentCoreTargetId: 'TARGET0001',
        bedrockAgentCoreMessageVersion: '1.0',
        bedrockAgentCoreToolName: `${targetName}___${tool}`,
        bedrockAgentCoreSessionId: gatewaySessionId,
      },
    },
  };
}

export function simulatedGateway(interceptor: RequestInterceptor, target: GatewayTargetHandler) {
  let nextId = 1;
  let targetCalls = 0;

  async function intercept(headers: Record<string, string>, body: unknown): Promise<InterceptorOutput> {
    return interceptor(
      {
        interceptorInputVersion: '1.0',
        mcp: {
          rawGatewayRequest: { body: JSON.stringify(body) },
          gatewayRequest: {
            path: '/mcp',
            httpMethod: 'POST',
            headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
            body,
          },
        },
      },
      { awsRequestId: `req-${randomUUID()}` },
    );
  }

  return {
    intercept,
    /** How many times the target was invoked. */
    targetCalls: () => targetCalls,
    /** One `tools/call` through interceptor and target. */
    async call(
      tool: string,
      args: Record<string, unknown>,
      headers: Record<string, string>,
      gatewaySessionId?: string,
    ): Promise<Outcome> {
      const request = {
        jsonrpc: '2.0',
        id: nextId++,
        method: 'tools/call',
        params: { name: `${targetName}___${tool}`, arguments: args },
      };
      const output = await intercept(headers, request);
      if ('transformedGatewayResponse' in output.mcp) {
        expect(output.mcp.transformedGatewayResponse.statusCode).toBe(200);
        return { by: 'interceptor', response: output.mcp.transformedGatewayResponse.body as never };
      }
      const passed = output.mcp.transformedGatewayRequest.body as typeof request;
      targetCalls += 1;
      const event = passed.params.arguments;
      const result = await target(event, gatewayContext(tool, gatewaySessionId));
      return { by: 'target', result, event };
    },
  };
}

/** The target's JSON; fails the test when the interceptor answered instead. */
export function answered(outcome: Outcome): Record<string, unknown> {
  if (outcome.by !== 'target') throw new Error(`the interceptor refused: ${JSON.stringify(outcome.response)}`);
  return outcome.result;
}

/** The interceptor's refusal sentence; fails the test when the call reached the target. */
export function refusedByInterceptor(outcome: Outcome): string {
  if (outcome.by !== 'interceptor') throw new Error(`the call reached the target: ${JSON.stringify(outcome.result)}`);
  expect(outcome.response.result?.isError).toBe(true);
  return outcome.response.result?.content[0]?.text ?? '';
}

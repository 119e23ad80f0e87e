/**
 * The chat API on the local gateway: the same handler as the Lambda, fed API Gateway v2 events
 * built from plain HTTP requests. Without AGENT_ID/AGENT_ALIAS_ID it answers 503, naming the
 * settings to provide. Tokens are HS256 with a local secret unless JWT_JWKS_URL is set.
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ChatHttpHandler } from '../../src/chat/http.js';
import { createChatHandler } from '../../src/chat/wiring.js';
import type { GatewayReply } from './gateway.js';

/** Local-only defaults: a development secret, issuer and audience (never used by a deployed stage). */
export const localJwt = {
  JWT_HS256_SECRET: 'pf360-local-development-secret-do-not-deploy',
  JWT_ISSUER: 'pf360-local',
  JWT_AUDIENCE: 'pf360-chat',
} as const;

export function localChatEnv(
  env: Record<string, string | undefined> = process.env,
): Record<string, string | undefined> {
  return env.JWT_JWKS_URL ? env : { ...localJwt, ...env };
}

export function toApiGatewayEvent(request: IncomingMessage, body: string): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const method = request.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: `${method} ${url.pathname}`,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${method} ${url.pathname}`,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: false,
  };
}

/** Gateway routes for /chat and /chat/confirm. */
export function chatRoutes(handler: ChatHttpHandler = createChatHandler(localChatEnv())) {
  return async (request: IncomingMessage, body: string): Promise<GatewayReply | undefined> => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/chat' && path !== '/chat/confirm') return undefined;
    const result = await handler(toApiGatewayEvent(request, body));
    return {
      status: result.statusCode ?? 200,
      body: result.body ? JSON.parse(result.body) : null,
      headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
    };
  };
}

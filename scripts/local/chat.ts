/**
 * The chat API on the local gateway: the same handler as the Lambda, fed API Gateway v2 events
 * built from plain HTTP requests, with the code-defined agent in-process when AGENT_PROVIDER is
 * set (the Lambda reaches it on AgentCore instead). Without an agent it answers 503, naming the
 * settings to provide. Tokens are HS256 with a local secret unless JWT_JWKS_URL is set.
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Model } from '@strands-agents/sdk';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { SignJWT } from 'jose';
import { createCodeAgentRunner } from '../../src/agent/wiring.js';
import { type ChatHttpHandler, sseHeaders } from '../../src/chat/http.js';
import { createChatHandler } from '../../src/chat/wiring.js';
import type { GatewayReply } from './gateway.js';

/** Local-only defaults: a development secret, issuer and audience (never used by a deployed stage). */
export const localJwt = {
  JWT_HS256_SECRET: 'pf360-local-development-secret-do-not-deploy',
  JWT_ISSUER: 'pf360-local',
  JWT_AUDIENCE: 'pf360-chat',
} as const;

export interface LocalClaims {
  sub: string;
  client_id: string;
  client_name: string;
  given_name?: string;
  zoneinfo?: string;
}

/**
 * A JWT for the local chat API, signed with the local development secret (or JWT_HS256_SECRET,
 * JWT_ISSUER and JWT_AUDIENCE when set): what `npm run token` prints and the chat page signs in with.
 */
export function signLocalToken(
  claims: LocalClaims,
  ttlSeconds: number,
  env: Record<string, string | undefined> = process.env,
) {
  const { sub, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(env.JWT_ISSUER ?? localJwt.JWT_ISSUER)
    .setAudience(env.JWT_AUDIENCE ?? localJwt.JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(env.JWT_HS256_SECRET ?? localJwt.JWT_HS256_SECRET));
}

export function localChatEnv(
  env: Record<string, string | undefined> = process.env,
): Record<string, string | undefined> {
  return env.JWT_JWKS_URL ? env : { ...localJwt, ...env };
}

/** The chat handler as the local stack runs it; `model` replaces the configured one (tests: a scripted model). */
export function localChatHandler(
  env: Record<string, string | undefined> = localChatEnv(),
  model?: Model,
): ChatHttpHandler {
  return createChatHandler(env, {
    codeAgent: ({ agent, env: agentEnv, logger }) =>
      createCodeAgentRunner({ agent, env: agentEnv, logger, ...(model ? { model } : {}) }),
  });
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

const chatPaths = new Set(['/chat', '/chat/confirm', '/chat/stream', '/chat/confirm/stream']);

/**
 * Gateway routes for the chat API. A streamed route writes its events to the response as the
 * handler produces them; everything the handler decides before the stream opens (sign-in, body,
 * rate limit) is answered as a whole, as on AWS.
 */
export function chatRoutes(handler: ChatHttpHandler = localChatHandler()) {
  return async (
    request: IncomingMessage,
    body: string,
    response: ServerResponse,
  ): Promise<GatewayReply | 'sent' | undefined> => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (!chatPaths.has(path)) return undefined;
    let opened = false;
    const result = await handler(toApiGatewayEvent(request, body), undefined, {
      open: () => {
        opened = true;
        response.writeHead(200, sseHeaders);
        response.flushHeaders();
      },
      write: (text) => response.write(text),
    });
    if (opened) {
      response.end();
      return 'sent';
    }
    return {
      status: result.statusCode ?? 200,
      body: result.body ? JSON.parse(result.body) : null,
      headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
    };
  };
}

/** Building blocks for chat tests: tokens, API Gateway events, and scripted agent streams. */
import type { ResponseStream } from '@aws-sdk/client-bedrock-agent-runtime';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { SignJWT } from 'jose';
import { localJwt } from '../../scripts/local/chat.js';

export const chatEnv = (overrides: Record<string, string> = {}): Record<string, string | undefined> => ({
  ...process.env,
  ...localJwt,
  STAGE: 'test',
  AGENT_ID: 'SUPERVISOR',
  AGENT_ALIAS_ID: 'LIVEALIAS1',
  AWS_REGION: 'us-east-1',
  RATE_LIMIT_PER_MINUTE: '1000',
  ENABLE_TRACE: 'true',
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  ...overrides,
});

export interface TokenClaims {
  sub?: string;
  client_id?: string;
  client_name?: string;
  given_name?: string;
  zoneinfo?: string;
}

export function token(claims: TokenClaims = {}): Promise<string> {
  const { sub = '1645975', ...rest } = claims;
  return new SignJWT({ client_id: '09PF05VD', client_name: 'projectsforce-validation', given_name: 'Maria', ...rest })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer(localJwt.JWT_ISSUER)
    .setAudience(localJwt.JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(localJwt.JWT_HS256_SECRET));
}

export function httpEvent(path: string, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'test',
      domainPrefix: 'test',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'req-1',
      routeKey: `POST ${path}`,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
  };
}

export const chunk = (text: string): ResponseStream => ({ chunk: { bytes: new TextEncoder().encode(text) } });

/** A completion stream yielding `events`, then throwing `error` if given (as the SDK does mid-stream). */
export async function* completion(events: ResponseStream[], error?: Error): AsyncGenerator<ResponseStream> {
  for (const event of events) {
    await Promise.resolve();
    yield event;
  }
  if (error) throw error;
}

export function named(name: string, message = name): Error {
  return Object.assign(new Error(message), { name });
}

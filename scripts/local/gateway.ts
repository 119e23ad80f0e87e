/**
 * The local HTTP gateway (npm start, port 3000): the way to drive the Lambdas by hand or from
 * tests. Local stack only: /dev/sessions has no authentication.
 *
 *   POST /dev/sessions                      {"customer_id","client_id","client_name","auth_token"}
 *                                           → 201 {"session_id"}
 *   POST /dev/token                         {"customer_id"?, "client_id"?, "client_name"?, "given_name"?, "time_zone"?}
 *                                           → 201 {"token", "pf360_token", "customer_id", "expires_in"}
 *   POST /actions/<group><apiPath>          header x-session-id, JSON body of parameter values
 *                                           → the envelope's status code and body
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { actionCatalog } from '../../generated/catalog/actions.js';
import { buildBedrockEvent, isActionGroup } from '../../src/bedrock/build-event.js';
import type { ActionHandler } from '../../src/bedrock/dispatch.js';
import { AppError, toErrorResponse, validationError } from '../../src/domain/errors.js';
import { isPf360Token, pf360TokenRule } from '../../src/domain/pf360-token.js';
import { newSessionId } from '../../src/domain/session-id.js';
import { isValidTimeZone } from '../../src/domain/time.js';
import { readBody } from '../../src/edge/http-body.js';
import type { SessionStore } from '../../src/ports/session-store.js';
import { signLocalToken } from './chat.js';
import { demoCustomer } from './env.js';

export interface GatewayOptions {
  actions: Partial<Record<'scheduling' | 'information' | 'notes', ActionHandler>>;
  sessions: SessionStore;
  stage: string;
  clock?: () => Date;
  /**
   * Extra routes (the chat API, the chat page) tried before the gateway's own: a reply to send,
   * `'sent'` when the route answered on `response` itself (a stream), or undefined for not theirs.
   */
  routes?: (
    request: IncomingMessage,
    body: string,
    response: ServerResponse,
  ) => Promise<GatewayReply | 'sent' | undefined>;
}

export interface GatewayReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const maxBodyBytes = 2 * 1024 * 1024;

/** The PF360 token /dev/token hands out: Prism accepts any. */
export const localPf360Token = 'local-demo-token';

function send(response: ServerResponse, reply: GatewayReply): void {
  response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  response.end(JSON.stringify(reply.body));
}

/** Any failure as the catalog answers it: one error, one status, on every edge. */
const failure = (error: unknown): GatewayReply => toErrorResponse(error);
const bad = (message: string, field?: string): GatewayReply => failure(validationError(message, field));

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const sessionFields = {
  customer_id: /^[A-Za-z0-9_-]{1,64}$/,
  client_id: /^[A-Za-z0-9_-]{1,32}$/,
  client_name: /^[A-Za-z0-9._-]{1,63}$/,
} as const;

async function createSession(options: GatewayOptions, body: Record<string, unknown>): Promise<GatewayReply> {
  for (const [field, pattern] of Object.entries(sessionFields)) {
    const value = body[field];
    if (typeof value !== 'string' || !pattern.test(value)) {
      return bad(`${field} is required: a string matching ${pattern}.`, field);
    }
  }
  if (!isPf360Token(body.auth_token)) return bad(`auth_token is required: ${pf360TokenRule}.`, 'auth_token');
  const timeZone = body.time_zone;
  if (timeZone !== undefined && (typeof timeZone !== 'string' || !isValidTimeZone(timeZone))) {
    return bad('time_zone must be an IANA time zone such as America/New_York.', 'time_zone');
  }
  const firstName = body.first_name;
  if (firstName !== undefined && (typeof firstName !== 'string' || firstName.length > 60)) {
    return bad('first_name must be a string of at most 60 characters.', 'first_name');
  }
  const session = await options.sessions.create(
    {
      sessionId: newSessionId(),
      customerId: body.customer_id as string,
      clientId: body.client_id as string,
      clientName: body.client_name as string,
      authToken: body.auth_token as string,
      stage: options.stage,
      ...(typeof timeZone === 'string' ? { timeZone } : {}),
      ...(typeof firstName === 'string' ? { firstName } : {}),
    },
    (options.clock ?? (() => new Date()))(),
  );
  return { status: 201, body: { session_id: session.sessionId } };
}

/**
 * A local sign-in for the chat page and scripts: a JWT for a customer (the demo customer unless
 * named) and a PF360 token Prism accepts. Local stack only, like /dev/sessions.
 */
async function createToken(body: Record<string, unknown>): Promise<GatewayReply> {
  const claims = {
    sub: body.customer_id ?? demoCustomer.customerId,
    client_id: body.client_id ?? demoCustomer.clientId,
    client_name: body.client_name ?? demoCustomer.clientName,
  };
  for (const [field, value] of Object.entries({
    customer_id: claims.sub,
    client_id: claims.client_id,
    client_name: claims.client_name,
  })) {
    const pattern = sessionFields[field as keyof typeof sessionFields];
    if (typeof value !== 'string' || !pattern.test(value))
      return bad(`${field} must be a string matching ${pattern}.`, field);
  }
  const givenName = body.given_name ?? 'Maria';
  if (typeof givenName !== 'string' || givenName.length > 60) {
    return bad('given_name must be a string of at most 60 characters.', 'given_name');
  }
  const zone = body.time_zone ?? 'America/New_York';
  if (typeof zone !== 'string' || !isValidTimeZone(zone)) {
    return bad('time_zone must be an IANA time zone such as America/New_York.', 'time_zone');
  }
  const ttl = 3600;
  const token = await signLocalToken(
    {
      sub: claims.sub as string,
      client_id: claims.client_id as string,
      client_name: claims.client_name as string,
      given_name: givenName,
      zoneinfo: zone,
    },
    ttl,
  );
  return { status: 201, body: { token, pf360_token: localPf360Token, customer_id: claims.sub, expires_in: ttl } };
}

async function callAction(
  options: GatewayOptions,
  group: string,
  apiPath: string,
  sessionId: string,
  values: Record<string, unknown>,
): Promise<GatewayReply> {
  const handler = isActionGroup(group) ? options.actions[group] : undefined;
  if (!isActionGroup(group) || !handler) {
    return failure(
      new AppError('unknown_operation', `No action group ${group}; use scheduling, information or notes.`),
    );
  }
  const declared = actionCatalog[group].find((op) => op.apiPath === apiPath);
  const event = buildBedrockEvent({
    group,
    httpMethod: declared?.method ?? 'POST',
    apiPath,
    sessionId,
    values,
  });
  const started = performance.now();
  const envelope = await handler(event);
  // Server-Timing lets a client tell the handler's time from the HTTP hop (npm run load uses it).
  const handlerMs = performance.now() - started;
  return {
    status: envelope.response.httpStatusCode,
    body: JSON.parse(envelope.response.responseBody['application/json'].body),
    headers: { 'server-timing': `handler;dur=${handlerMs.toFixed(3)}` },
  };
}

export function createGateway(options: GatewayOptions): Server {
  return createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      let text: string;
      try {
        text = await readBody(request, maxBodyBytes);
      } catch (error) {
        // The rest of the body is still arriving: answer, and do not reuse the connection.
        return send(response, { ...failure(error), headers: { connection: 'close' } });
      }
      const extra = await options.routes?.(request, text, response);
      if (extra === 'sent') return;
      if (extra) return send(response, extra);
      if (request.method !== 'POST') {
        return send(response, failure(new AppError('method_not_allowed')));
      }
      const body = parseJsonObject(text);
      if (!body) return send(response, bad('The request body must be a JSON object.'));
      if (url.pathname === '/dev/sessions') return send(response, await createSession(options, body));
      if (url.pathname === '/dev/token') return send(response, await createToken(body));
      const match = /^\/actions\/([^/]+)(\/.*)$/.exec(url.pathname);
      if (match) {
        const sessionId = request.headers['x-session-id'];
        return send(
          response,
          await callAction(
            options,
            match[1] ?? '',
            match[2] ?? '',
            typeof sessionId === 'string' ? sessionId : '',
            body,
          ),
        );
      }
      return send(response, failure(new AppError('not_found', `No route ${url.pathname}.`)));
    } catch (error) {
      send(response, failure(error));
    }
  });
}

/**
 * MCP over Streamable HTTP (protocol 2025-11-25, the SDK's current one) on a plain node:http
 * server: `/mcp` and its protected-resource metadata, as a route of the local gateway.
 *
 * Sign-in is the chat API's: every request (POST, GET, DELETE) carries `Authorization: Bearer
 * <JWT>`, verified by the chat's verifier; `X-PF360-Token` is needed to start the customer's
 * session and refreshes it when sent. Without a valid token the answer is 401 with
 * `WWW-Authenticate: Bearer … resource_metadata="<base>/.well-known/oauth-protected-resource/mcp"`,
 * where the metadata (RFC 9728) names the JWT issuer as the authorization server, as the MCP
 * authorization spec asks. Identity is per request: it reaches the tools as `extra.authInfo`,
 * and a request on an MCP session by another customer than the one who opened it is refused
 * (403) before the session sees it.
 *
 * Sessions are bounded, since clients rarely end them (neither the SDK client's close() nor the
 * Inspector CLI sends DELETE): one closes after `idleTimeoutMs` without requests (a request in
 * progress, such as a question waiting for the customer, keeps it open; the GET stream does
 * not); a customer's oldest session closes when they open one over `maxSessionsPerCustomer`;
 * and past `maxSessions` in all, new ones are refused (503). Closing answers every request still
 * in progress with an error first, so a client does not wait for its own timeout.
 *
 * Host and Origin must name this machine (DNS rebinding: the spec asks servers to validate Origin).
 * Nothing logged carries a token, an argument or a customer id (only hashed references).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  isInitializeRequest,
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { CustomerIdentity, TokenVerifier } from '../chat/auth.js';
import { AppError, toErrorResponse } from '../domain/errors.js';
import { isPf360Token, pf360TokenRule } from '../domain/pf360-token.js';
import { type Logger, sessionRef } from '../observability/logger.js';
import type { McpCustomer, McpRequestExtra } from './server.js';

export const mcpPath = '/mcp';
export const protectedResourcePath = '/.well-known/oauth-protected-resource';
const pf360TokenHeader = 'x-pf360-token';

export interface McpHttpOptions {
  verifyToken: TokenVerifier;
  /** A new MCP server for a new session; it reads each request's customer with `customerOf`. */
  createServer: (customerOf: (extra: McpRequestExtra) => McpCustomer) => Server;
  /** The JWT issuer, published as the authorization server in the protected-resource metadata. */
  issuer: string;
  logger: Logger;
  /** Close a session after this long without a request (default 30 minutes). */
  idleTimeoutMs?: number;
  /** How often idle sessions are looked for (default: a tenth of the idle time, at most a minute). */
  sweepIntervalMs?: number;
  /** Open sessions per customer; opening one more closes their least recently used (default 5). */
  maxSessionsPerCustomer?: number;
  /** Open sessions in all; past this a new one is refused with 503 (default 500). */
  maxSessions?: number;
  /** Host names the Host and Origin headers may carry (default: the loopback names). */
  allowedHostnames?: readonly string[];
  /** The public base URL (default: http:// and the request's Host). */
  publicBaseUrl?: string;
  now?: () => number;
}

export interface McpHttpHandler {
  /** A gateway route: `'sent'` when it answered (the MCP and metadata paths), undefined otherwise. */
  route: (request: IncomingMessage, body: string, response: ServerResponse) => Promise<'sent' | undefined>;
  /** Open MCP sessions. */
  sessionCount: () => number;
  /** Closes every session (their requests in progress answered with an error) and stops the sweeper. */
  close: () => Promise<void>;
}

interface McpSession {
  id: string;
  customerKey: string;
  server: Server;
  transport: StreamableHTTPServerTransport;
  lastActive: number;
  /** POSTs being answered (a GET stream does not count: it stays open while the client is idle). */
  inflight: number;
  /** Requests of the client not yet answered. */
  pending: Set<RequestId>;
}

type CloseReason = 'idle' | 'cap' | 'deleted' | 'shutdown';

const customerKeyOf = (who: Pick<CustomerIdentity, 'clientId' | 'customerId'>) => `${who.clientId}/${who.customerId}`;

/** The customer a request's verified token named, as the transport hands it to a tool call. */
export function customerFromAuthInfo(extra: McpRequestExtra): McpCustomer {
  const customer = extra.authInfo?.extra?.customer as McpCustomer | undefined;
  if (!customer?.who) throw new AppError('unauthorized');
  return customer;
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): 'sent' {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
  return 'sent';
}

function rpcError(
  response: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers?: Record<string, string>,
): 'sent' {
  return json(response, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
}

function hostnameOf(value: string | undefined, withScheme: boolean): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(withScheme ? value : `http://${value}`).hostname;
  } catch {
    return undefined;
  }
}

/** A quoted-string of an auth-param: no quotes or backslashes inside. */
const quoted = (text: string) => `"${text.replace(/["\\]/g, "'")}"`;

export function createMcpHttpHandler(options: McpHttpOptions): McpHttpHandler {
  const now = options.now ?? Date.now;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;
  const sweepIntervalMs = options.sweepIntervalMs ?? Math.min(60_000, Math.max(10, Math.floor(idleTimeoutMs / 10)));
  const maxPerCustomer = options.maxSessionsPerCustomer ?? 5;
  const maxSessions = options.maxSessions ?? 500;
  const allowed = new Set(options.allowedHostnames ?? ['127.0.0.1', 'localhost', '[::1]']);
  const sessions = new Map<string, McpSession>();
  const log = (level: 'info' | 'warn', message: string, attributes: Record<string, unknown>) =>
    options.logger[level](message, { correlation_id: randomUUID(), ...attributes });
  /** For toErrorResponse, which logs what it did not expect. */
  const errorLogger = () => options.logger.createChild({ persistentKeys: { correlation_id: randomUUID() } });

  const sweeper = setInterval(() => {
    const at = now();
    for (const session of [...sessions.values()]) {
      if (session.inflight === 0 && at - session.lastActive >= idleTimeoutMs) void closeSession(session, 'idle');
    }
  }, sweepIntervalMs);
  sweeper.unref();

  async function closeSession(session: McpSession, reason: CloseReason): Promise<void> {
    if (sessions.get(session.id) !== session) return;
    sessions.delete(session.id);
    log('info', 'mcp session closed', { mcp_session: sessionRef(session.id), reason, pending: session.pending.size });
    for (const id of [...session.pending]) {
      await session.transport
        .send({ jsonrpc: '2.0', id, error: { code: -32000, message: `The MCP session was closed (${reason}).` } })
        .catch(() => undefined);
    }
    await session.server.close().catch(() => undefined);
  }

  function baseUrl(request: IncomingMessage): string {
    return options.publicBaseUrl?.replace(/\/$/, '') ?? `http://${request.headers.host ?? '127.0.0.1'}`;
  }

  function resourceMetadataUrl(request: IncomingMessage): string {
    return `${baseUrl(request)}${protectedResourcePath}${mcpPath}`;
  }

  /** RFC 9728 protected-resource metadata for /mcp. The tokens carry no scopes, so none are listed. */
  function protectedResource(request: IncomingMessage) {
    return {
      resource: `${baseUrl(request)}${mcpPath}`,
      authorization_servers: [options.issuer],
      bearer_methods_supported: ['header'],
      resource_name: 'PF360 scheduling assistant (MCP)',
    };
  }

  function unauthorized(request: IncomingMessage, response: ServerResponse, error: unknown): 'sent' {
    const { status, body } = toErrorResponse(error, errorLogger());
    log('warn', 'mcp request refused', { status, error_type: body.error_type });
    if (status !== 401) return json(response, status, body);
    const presented = Boolean(request.headers.authorization);
    const challenge = presented
      ? `Bearer error="invalid_token", error_description=${quoted(String(body.error))}, resource_metadata=${quoted(resourceMetadataUrl(request))}`
      : `Bearer resource_metadata=${quoted(resourceMetadataUrl(request))}`;
    return json(response, 401, body, { 'www-authenticate': challenge });
  }

  async function openSession(
    request: IncomingMessage & { auth?: AuthInfo },
    response: ServerResponse,
    body: unknown,
    customerKey: string,
  ): Promise<'sent'> {
    const mine = [...sessions.values()].filter((s) => s.customerKey === customerKey);
    if (mine.length >= maxPerCustomer) {
      const oldest = mine.reduce((a, b) => (b.lastActive < a.lastActive ? b : a));
      await closeSession(oldest, 'cap');
    } else if (sessions.size >= maxSessions) {
      log('warn', 'mcp session refused', { reason: 'too many sessions', sessions: sessions.size });
      return rpcError(response, 503, -32000, 'Too many open MCP sessions; try again later.', { 'retry-after': '60' });
    }
    const server = options.createServer(customerFromAuthInfo);
    const pending = new Set<RequestId>();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { id, customerKey, server, transport, lastActive: now(), inflight: 0, pending });
        log('info', 'mcp session opened', {
          mcp_session: sessionRef(id),
          customer: sessionRef(customerKey),
          sessions: sessions.size,
        });
      },
    });
    transport.onclose = () => {
      const session = transport.sessionId ? sessions.get(transport.sessionId) : undefined;
      if (session?.transport === transport) void closeSession(session, 'deleted');
    };
    await server.connect(transport);
    // Note the client's requests until they are answered, to answer them if the session closes first.
    const deliver = transport.onmessage;
    transport.onmessage = (message, extra) => {
      if (isJSONRPCRequest(message)) pending.add(message.id);
      deliver?.(message, extra);
    };
    const send = transport.send.bind(transport);
    transport.send = (message, sendOptions) => {
      if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
        if (message.id !== undefined) pending.delete(message.id);
      }
      return send(message, sendOptions);
    };
    await transport.handleRequest(request, response, body);
    return 'sent';
  }

  async function handleMcp(
    request: IncomingMessage & { auth?: AuthInfo },
    text: string,
    response: ServerResponse,
  ): Promise<'sent'> {
    const method = request.method ?? 'GET';
    if (!['GET', 'POST', 'DELETE'].includes(method)) {
      return rpcError(response, 405, -32000, 'Use POST, GET or DELETE.', { allow: 'GET, POST, DELETE' });
    }
    let who: CustomerIdentity;
    try {
      who = await options.verifyToken(request.headers.authorization);
    } catch (error) {
      return unauthorized(request, response, error);
    }
    const sent = request.headers[pf360TokenHeader];
    if (sent !== undefined && !isPf360Token(sent)) {
      return rpcError(response, 400, -32602, `X-PF360-Token must be ${pf360TokenRule}.`);
    }
    const customer: McpCustomer = { who, pf360Token: sent, pf360TokenField: 'X-PF360-Token' };
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    request.auth = { token, clientId: who.clientId, scopes: [], extra: { customer } };

    let body: unknown;
    if (method === 'POST') {
      try {
        body = JSON.parse(text);
      } catch {
        return rpcError(response, 400, -32700, 'Parse error: the body must be JSON-RPC.');
      }
    }
    const customerKey = customerKeyOf(who);
    const sessionId = request.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) return rpcError(response, 404, -32001, 'Session not found; initialize a new one.');
      if (session.customerKey !== customerKey) {
        log('warn', 'mcp request refused', { mcp_session: sessionRef(sessionId), reason: 'another customer' });
        return rpcError(response, 403, -32000, 'This MCP session belongs to another account; initialize a new one.');
      }
      session.lastActive = now();
      if (method === 'POST') {
        session.inflight += 1;
        response.once('close', () => {
          session.inflight -= 1;
          session.lastActive = now();
        });
      }
      await session.transport.handleRequest(request, response, body);
      return 'sent';
    }
    if (method !== 'POST' || !isInitializeRequest(body)) {
      return rpcError(response, 400, -32000, 'Bad request: no valid Mcp-Session-Id; initialize a session first.');
    }
    return openSession(request, response, body, customerKey);
  }

  return {
    route: async (request, text, response) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const isMetadata = path === protectedResourcePath || path === `${protectedResourcePath}${mcpPath}`;
      if (path !== mcpPath && !isMetadata) return undefined;
      try {
        const host = hostnameOf(request.headers.host, false);
        const origin = request.headers.origin;
        if (!host || !allowed.has(host) || (origin !== undefined && !allowed.has(hostnameOf(origin, true) ?? ''))) {
          log('warn', 'mcp request refused', { reason: 'host or origin not allowed' });
          return rpcError(response, 403, -32000, 'This server answers only requests for this machine (Host, Origin).');
        }
        if (isMetadata) {
          if (request.method !== 'GET') return json(response, 405, { error: 'Use GET.' }, { allow: 'GET' });
          return json(response, 200, protectedResource(request), { 'access-control-allow-origin': '*' });
        }
        return await handleMcp(request, text, response);
      } catch (error) {
        const { body } = toErrorResponse(error, errorLogger());
        if (!response.headersSent) return rpcError(response, 500, -32603, String(body.error));
        response.end();
        return 'sent';
      }
    },
    sessionCount: () => sessions.size,
    close: async () => {
      clearInterval(sweeper);
      await Promise.all([...sessions.values()].map((session) => closeSession(session, 'shutdown')));
    },
  };
}

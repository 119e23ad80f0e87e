/**
 * MCP over Streamable HTTP on the local gateway: `POST|GET|DELETE /mcp` and the protected-resource
 * metadata at /.well-known/oauth-protected-resource/mcp (src/mcp/http.ts), with the chat API's
 * sign-in — the same JWT settings (the local HS256 secret unless JWT_JWKS_URL is set), so the
 * token of `npm run token` or POST /dev/token works — and the same handlers as the Lambdas.
 *
 * Settings: MCP_IDLE_TIMEOUT_SECONDS (1800) closes a session after that long without requests,
 * MCP_MAX_SESSIONS_PER_CUSTOMER (5) closes a customer's least recently used session when they
 * open one more, MCP_ELICITATION_TIMEOUT_SECONDS (600) is how long a customer has to answer.
 */
import { createTokenVerifier } from '../../src/chat/auth.js';
import { loadJwtConfig } from '../../src/chat/config.js';
import { type Env, int } from '../../src/config/env.js';
import { createMcpHttpHandler, type McpHttpHandler, type McpHttpOptions } from '../../src/mcp/http.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { createLogger } from '../../src/observability/logger.js';
import type { SessionStore } from '../../src/ports/session-store.js';
import type { ToolInvoker } from '../../src/tools/invoke-tool.js';
import { localChatEnv } from './chat.js';

export interface LocalMcpOptions {
  invoke: ToolInvoker;
  sessions: SessionStore;
  stage: string;
  /** JWT and MCP settings (default: the process environment with the local JWT defaults). */
  env?: Env;
  clock?: () => Date;
  /** Overrides of the session bounds and the rest (tests: a short idle time). */
  http?: Partial<Omit<McpHttpOptions, 'verifyToken' | 'createServer' | 'issuer' | 'logger'>>;
  elicitationTimeoutMs?: number;
}

export function localMcp(options: LocalMcpOptions): McpHttpHandler {
  const env = options.env ?? localChatEnv();
  const jwt = loadJwtConfig(env);
  const logger = createLogger('pf360-mcp');
  const clock = options.clock ?? (() => new Date());
  const elicitationTimeoutMs =
    options.elicitationTimeoutMs ?? int(env, 'MCP_ELICITATION_TIMEOUT_SECONDS', 600, 5, 3600) * 1000;
  return createMcpHttpHandler({
    verifyToken: createTokenVerifier(jwt),
    issuer: jwt.issuer,
    logger,
    idleTimeoutMs: int(env, 'MCP_IDLE_TIMEOUT_SECONDS', 1800, 1, 86_400) * 1000,
    maxSessionsPerCustomer: int(env, 'MCP_MAX_SESSIONS_PER_CUSTOMER', 5, 1, 100),
    ...options.http,
    createServer: (customerOf) =>
      createMcpServer({
        invoke: options.invoke,
        sessions: options.sessions,
        stage: options.stage,
        clock,
        logger,
        customerOf,
        elicitationTimeoutMs,
      }),
  });
}

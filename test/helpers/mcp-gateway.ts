/**
 * The local gateway with MCP at /mcp (scripts/local/mcp.ts) in this test process on a free port,
 * as `npm start` mounts it: the real handlers against the run's DynamoDB Local and Prism (behind
 * the recording proxy, real writes on), and the chat's sign-in with the local HS256 secret.
 */
import type { AddressInfo } from 'node:net';
import { localJwt, signLocalToken } from '../../scripts/local/chat.js';
import { createGateway } from '../../scripts/local/gateway.js';
import { type LocalMcpOptions, localMcp } from '../../scripts/local/mcp.js';
import type { McpHttpHandler } from '../../src/mcp/http.js';
import { createToolInvoker } from '../../src/tools/invoke-tool.js';
import { actionEnv, factories } from './actions.js';
import { sessionStore } from './sessions.js';
import { startUpstreamProxy, type UpstreamProxy } from './upstream-proxy.js';

export interface McpGateway {
  /** http://127.0.0.1:<port> */
  base: string;
  /** <base>/mcp */
  url: string;
  mcp: McpHttpHandler;
  pf360: UpstreamProxy;
  /** JWT settings the gateway verifies with (sign tokens with `tokenFor`). */
  jwtEnv: Record<string, string>;
  tokenFor: (customerId: string, ttlSeconds?: number) => Promise<string>;
  close(): Promise<void>;
}

export async function startMcpGateway(
  options: { jwtEnv?: Record<string, string> } & Pick<LocalMcpOptions, 'http' | 'elicitationTimeoutMs'> = {},
): Promise<McpGateway> {
  const pf360 = await startUpstreamProxy(process.env.PF360_BASE_URL ?? '');
  const env = actionEnv({ PF360_BASE_URL: pf360.url, ENABLE_REAL_CONFIRM: 'true', ENABLE_REAL_CANCEL: 'true' });
  const invoke = createToolInvoker({
    scheduling: factories.scheduling(env),
    information: factories.information(env),
    notes: factories.notes(env),
  });
  const jwtEnv = { ...localJwt, STAGE: 'test', ...options.jwtEnv };
  const sessions = sessionStore();
  const mcp = localMcp({
    invoke,
    sessions,
    stage: 'test',
    env: jwtEnv,
    ...(options.http ? { http: options.http } : {}),
    ...(options.elicitationTimeoutMs ? { elicitationTimeoutMs: options.elicitationTimeoutMs } : {}),
  });
  const server = createGateway({ actions: {}, sessions, stage: 'test', routes: mcp.route });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: `${base}/mcp`,
    mcp,
    pf360,
    jwtEnv,
    tokenFor: (customerId, ttlSeconds = 600) =>
      signLocalToken(
        { sub: customerId, client_id: '09PF05VD', client_name: 'projectsforce-validation', given_name: 'Maria' },
        ttlSeconds,
        jwtEnv,
      ),
    close: async () => {
      await mcp.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pf360.close();
    },
  };
}

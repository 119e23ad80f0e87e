/**
 * The agent's AgentCore Runtime server (src/agentcore/runtime/main.ts) on a free loopback port,
 * as the runtime's and the InvokeAgentRuntime tests run it: the real agent, tools and action
 * handlers with the given (scripted) model, PF360 behind a recording proxy in front of Prism,
 * bookings really sent (ENABLE_REAL_CONFIRM) so the proxy sees them.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Model } from '@strands-agents/sdk';
import { createRuntime } from '../../src/agentcore/runtime/main.js';
import { testHttpEnv } from './actions.js';
import { startUpstreamProxy, type UpstreamProxy } from './upstream-proxy.js';

export interface RuntimeUnderTest {
  server: Server;
  /** http://127.0.0.1:<port> */
  url: string;
  pf360: UpstreamProxy;
  close: () => Promise<void>;
}

export async function startRuntimeServer(model: Model): Promise<RuntimeUnderTest> {
  const pf360 = await startUpstreamProxy(process.env.PF360_BASE_URL ?? '');
  const server = createRuntime(
    {
      ...process.env,
      // The model is the one given; these only make the configuration complete.
      AGENT_PROVIDER: 'openai',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      AGENT_MODEL_ID: 'scripted',
      PF360_BASE_URL: pf360.url,
      ENABLE_REAL_CONFIRM: 'true',
      ...testHttpEnv,
    },
    { model },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pf360,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pf360.close();
    },
  };
}

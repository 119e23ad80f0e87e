/**
 * The local gateway as `npm start` composes it — the chat page, then the chat API — in this test
 * process on a free port, with the code-defined agent on a scripted model (or no model at all, as
 * on a machine where nothing is configured). PF360 is Prism behind the recording proxy, with real
 * writes on, so a test can prove what reached PF360 and what did not.
 */
import type { AddressInfo } from 'node:net';
import { chatRoutes, localChatHandler } from '../../scripts/local/chat.js';
import { chatPageRoutes, firstOf } from '../../scripts/local/chat-page.js';
import { createGateway } from '../../scripts/local/gateway.js';
import type { ScriptedModel } from '../../src/agent/scripted-model.js';
import { testHttpEnv } from './actions.js';
import { chatEnv } from './chat.js';
import { sessionStore } from './sessions.js';

export interface ChatGateway {
  /** http://127.0.0.1:<port> */
  base: string;
  close(): Promise<void>;
}

/** `model` undefined: no assistant configured (POST /chat/stream answers 503 agent_not_configured). */
export async function startChatGateway(options: { model?: ScriptedModel; pf360Url: string }): Promise<ChatGateway> {
  const { model, pf360Url } = options;
  const env = chatEnv({
    AGENT_ID: '',
    AGENT_ALIAS_ID: '',
    AGENT_PROVIDER: model ? 'openai' : '',
    OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    AGENT_MODEL_ID: 'scripted',
    PF360_BASE_URL: pf360Url,
    ENABLE_REAL_CONFIRM: 'true',
    ENABLE_REAL_CANCEL: 'true',
    ...testHttpEnv,
  });
  const page = chatPageRoutes();
  await page.ready;
  const server = createGateway({
    actions: {},
    sessions: sessionStore(),
    stage: 'test',
    routes: firstOf(page, chatRoutes(localChatHandler(env, model))),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // A browser or CLI may keep a connection alive; it must not hold the test up.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

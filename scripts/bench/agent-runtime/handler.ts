/**
 * The bench's "agent runtime" bundle: the AgentCore Runtime server's composition root
 * (src/agentcore/runtime/main.ts) built as app.ts builds it, without listening — what the
 * deployed agent loads before it can answer /ping. Its request listener is exported as
 * `handler`, the function the cold-import probe looks for.
 */
import { createRuntime } from '../../../src/agentcore/runtime/main.js';

export const handler = createRuntime().listeners('request')[0];

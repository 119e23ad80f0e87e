/**
 * AgentCore Runtime's entry point (NODE_22 code runtime, `EntryPoint: [app.js]`): the agent's
 * server on 0.0.0.0:8080. SIGTERM (the session's microVM stopping) closes it after the turns in
 * flight, so none is cut off halfway.
 */
import { createRuntime, loadRuntimeSettings } from './main.js';

const { host, port } = loadRuntimeSettings();
const server = createRuntime();
server.listen(port, host);
process.once('SIGTERM', () => server.close());

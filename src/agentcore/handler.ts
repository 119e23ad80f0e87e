/**
 * Lambda entry point of the AgentCore Gateway target (serverless.yml: agentcore). One function
 * serves all 13 tools with the same handlers as the Bedrock action groups; it verifies the
 * caller's token with the chat API's settings (JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE).
 */
import { createInformationHandler } from '../action-groups/information/index.js';
import { createNotesHandler } from '../action-groups/notes/index.js';
import { createSchedulingHandler } from '../action-groups/scheduling/index.js';
import { createActionDeps } from '../action-groups/shared/wiring.js';
import { createTokenVerifier } from '../chat/auth.js';
import { loadJwtConfig } from '../chat/config.js';
import { createToolInvoker } from '../tools/invoke-tool.js';
import { createGatewayTargetHandler } from './gateway-target.js';

const deps = createActionDeps('pf360-agentcore');

export const handler = createGatewayTargetHandler({
  invoke: createToolInvoker({
    scheduling: createSchedulingHandler(deps),
    information: createInformationHandler(deps),
    notes: createNotesHandler(deps),
  }),
  verifyToken: createTokenVerifier(loadJwtConfig()),
  sessions: deps.sessions,
  stage: deps.config.stage,
  clock: deps.clock,
  logger: deps.logger,
});

/**
 * Lambda entry point of the optional AgentCore Gateway target (serverless.yml: agentcore,
 * created only when the stage's `agentCoreTarget` param is "true"). One function serves all
 * 13 tools with the same handlers as the Bedrock action groups.
 */
import { createInformationHandler } from '../action-groups/information/index.js';
import { createNotesHandler } from '../action-groups/notes/index.js';
import { createSchedulingHandler } from '../action-groups/scheduling/index.js';
import { createActionDeps } from '../action-groups/shared/wiring.js';
import { createToolInvoker } from '../tools/invoke-tool.js';
import { createGatewayTargetHandler } from './gateway-target.js';

const deps = createActionDeps('pf360-agentcore');

export const handler = createGatewayTargetHandler(
  createToolInvoker({
    scheduling: createSchedulingHandler(deps),
    information: createInformationHandler(deps),
    notes: createNotesHandler(deps),
  }),
  deps.logger,
);

/** Runs real action handlers on genuine Bedrock events, against the run's local stack. */

import { actionCatalog } from '../../generated/catalog/actions.js';
import { createInformationHandler } from '../../src/action-groups/information/index.js';
import { createNotesHandler } from '../../src/action-groups/notes/index.js';
import { createSchedulingHandler } from '../../src/action-groups/scheduling/index.js';
import { createReadOnlyActionDeps } from '../../src/action-groups/shared/base-wiring.js';
import { createActionDeps } from '../../src/action-groups/shared/wiring.js';
import { type ActionGroupName, buildBedrockEvent } from '../../src/bedrock/build-event.js';
import type { ActionHandler } from '../../src/bedrock/dispatch.js';
import type { BedrockActionResponse } from '../../src/bedrock/event.js';

/** Fast, deterministic policy for tests: short timeout, tiny backoff. */
export const testHttpEnv = {
  API_TIMEOUT_MS: '400',
  API_MAX_RETRIES: '2',
  API_RETRY_BASE_MS: '5',
  API_RETRY_MAX_MS: '20',
  WEATHER_TIMEOUT_MS: '400',
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
};

export function actionEnv(overrides: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...process.env, ...testHttpEnv, ...overrides };
}

export const factories: Record<ActionGroupName, (env: Record<string, string | undefined>) => ActionHandler> = {
  scheduling: (env) => createSchedulingHandler(createActionDeps('test-scheduling', env)),
  information: (env) => createInformationHandler(createReadOnlyActionDeps('test-information', env)),
  notes: (env) => createNotesHandler(createActionDeps('test-notes', env)),
};

export interface CallResult {
  status: number;
  body: Record<string, unknown>;
  envelope: BedrockActionResponse;
}

export async function callAction(
  handler: ActionHandler,
  group: ActionGroupName,
  operationId: string,
  sessionId: string,
  values: Record<string, unknown> = {},
): Promise<CallResult> {
  const operation = actionCatalog[group].find((op) => op.operationId === operationId);
  if (!operation) throw new Error(`no operation ${operationId} in ${group}`);
  const envelope = await handler(
    buildBedrockEvent({ group, httpMethod: operation.method, apiPath: operation.apiPath, sessionId, values }),
  );
  return {
    status: envelope.response.httpStatusCode,
    body: JSON.parse(envelope.response.responseBody['application/json'].body),
    envelope,
  };
}

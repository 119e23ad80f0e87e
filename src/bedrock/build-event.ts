/**
 * Builds the event Bedrock would send for an action call: values as strings, path/query values
 * in `parameters[]`, body values in `requestBody.content["application/json"].properties[]`, no
 * `requestBody` on bodiless operations. Used by the local gateway, the MCP adapters and tests,
 * so they all exercise the exact contract the deployed Lambdas see.
 */
import { actionCatalog } from '../../generated/catalog/actions.js';
import type { BedrockActionEvent, BedrockParameter } from './event.js';

export type ActionGroupName = keyof typeof actionCatalog;

export function isActionGroup(name: string): name is ActionGroupName {
  return Object.hasOwn(actionCatalog, name);
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface BuildEventInput {
  group: ActionGroupName;
  httpMethod: string;
  apiPath: string;
  sessionId: string;
  values?: Record<string, unknown>;
  inputText?: string;
  sessionAttributes?: Record<string, string>;
  promptSessionAttributes?: Record<string, string>;
  agent?: BedrockActionEvent['agent'];
}

export function buildBedrockEvent(input: BuildEventInput): BedrockActionEvent {
  const method = input.httpMethod.toUpperCase();
  const operation = actionCatalog[input.group].find((op) => op.method === method && op.apiPath === input.apiPath);
  const declared = new Map<string, { readonly type: string; readonly in: string }>(
    (operation?.parameters ?? []).map((p) => [p.name, p]),
  );
  const parameters: BedrockParameter[] = [];
  const properties: BedrockParameter[] = [];
  for (const [name, value] of Object.entries(input.values ?? {})) {
    if (value === undefined || value === null) continue;
    const param = declared.get(name);
    const entry = { name, type: param?.type ?? 'string', value: asString(value) };
    // Undeclared names go where a model would put them: the body when the operation has one.
    if (param ? param.in === 'body' : operation?.hasBody) properties.push(entry);
    else parameters.push(entry);
  }
  return {
    messageVersion: '1.0',
    agent: input.agent ?? { name: 'pf360-local', id: 'LOCALAGENT', alias: 'TSTALIASID', version: 'DRAFT' },
    inputText: input.inputText ?? '',
    sessionId: input.sessionId,
    actionGroup: input.group,
    apiPath: input.apiPath,
    httpMethod: method,
    parameters,
    ...(operation?.hasBody || properties.length > 0
      ? { requestBody: { content: { 'application/json': { properties } } } }
      : {}),
    sessionAttributes: input.sessionAttributes ?? {},
    promptSessionAttributes: input.promptSessionAttributes ?? {},
  };
}

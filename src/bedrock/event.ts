/**
 * The Bedrock Agents action-group contract for OpenAPI groups: the Lambda input event (every value
 * a string) and the response envelope Bedrock expects. There are no official TypeScript types for it, so we own them, and we check every
 * field we use: the edge must answer an envelope even for an event it cannot make sense of.
 */

export interface BedrockParameter {
  name: string;
  type: string;
  value: string;
}

export interface BedrockActionEvent {
  messageVersion: string;
  agent?: { name: string; id: string; alias: string; version: string };
  inputText?: string;
  sessionId: string;
  actionGroup: string;
  apiPath: string;
  httpMethod: string;
  parameters?: BedrockParameter[];
  requestBody?: { content: Record<string, { properties: BedrockParameter[] }> };
  sessionAttributes?: Record<string, string>;
  promptSessionAttributes?: Record<string, string>;
}

export interface BedrockActionResponse {
  messageVersion: '1.0';
  response: {
    actionGroup: string;
    apiPath: string;
    httpMethod: string;
    httpStatusCode: number;
    responseBody: { 'application/json': { body: string } };
  };
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOr(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

/** String-to-string maps only; anything else is dropped rather than echoed back malformed. */
function attributes(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** The fields needed to answer, read defensively from anything. */
export interface EventHeader {
  actionGroup: string;
  apiPath: string;
  httpMethod: string;
  sessionId: string;
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
}

export function readHeader(event: unknown): EventHeader {
  const e = isRecord(event) ? event : {};
  return {
    actionGroup: stringOr(e.actionGroup),
    apiPath: stringOr(e.apiPath),
    httpMethod: stringOr(e.httpMethod),
    sessionId: stringOr(e.sessionId),
    sessionAttributes: attributes(e.sessionAttributes),
    promptSessionAttributes: attributes(e.promptSessionAttributes),
  };
}

export { isRecord };

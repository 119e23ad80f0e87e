/**
 * MCP tool definitions (name, description, JSON Schema input) for every action operation, built
 * from the action specs — the same descriptions and input schemas Bedrock sees — plus the route
 * each tool maps to. The local MCP server and the AgentCore Gateway target both use them.
 */
import { toJsonSchema } from './json-schema.js';
import { actionGroups, deref, type OpenApiDoc, operationsOf, readSpec } from './specs.js';

/** Writes that replace or remove something the customer has. */
const destructive = new Set(['reschedule_appointment', 'cancel_appointment']);

// Shared by the code-defined agent and the MCP server: both make the customer confirm before the
// change runs (the agent's turn pauses; MCP asks through elicitation or a confirmation id).
const confirmationNote =
  ' This tool changes the customer’s data: call it when the customer asks for the change; they are shown exactly what it will do and it runs only after they confirm. Repeating the same call in the same session does not apply the change twice.';

export interface ToolDefinition {
  tool: {
    name: string;
    title: string;
    description: string;
    inputSchema: {
      type: 'object';
      properties: Record<string, unknown>;
      required?: string[];
      additionalProperties: false;
    };
    annotations: {
      title: string;
      readOnlyHint: boolean;
      destructiveHint: boolean;
      idempotentHint: boolean;
      openWorldHint: boolean;
    };
  };
  route: { group: string; method: string; apiPath: string };
}

function inputSchema(doc: OpenApiDoc, operation: OpenApiDoc): ToolDefinition['tool']['inputSchema'] {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const raw of operation.parameters ?? []) {
    const p = deref(doc, raw);
    properties[p.name] = toJsonSchema({ ...deref(doc, p.schema ?? {}), description: p.description });
    if (p.required) required.push(p.name);
  }
  if (operation.requestBody) {
    const body = deref(doc, deref(doc, operation.requestBody).content['application/json'].schema);
    for (const [name, prop] of Object.entries<OpenApiDoc>(body.properties ?? {})) {
      properties[name] = toJsonSchema(deref(doc, prop));
    }
    required.push(...(body.required ?? []));
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

export function buildToolDefinitions(): ToolDefinition[] {
  return actionGroups.flatMap((group) => {
    const doc = readSpec(group);
    return operationsOf(doc).map(({ method, path, operation }) => {
      const writes = method !== 'get';
      const requiresConfirmation = operation['x-requireConfirmation'] === 'ENABLED';
      const title = String(operation.summary ?? operation.operationId);
      return {
        tool: {
          name: operation.operationId,
          title,
          description: `${String(operation.description).trim()}${requiresConfirmation ? confirmationNote : ''}`,
          inputSchema: inputSchema(doc, operation),
          annotations: {
            title,
            readOnlyHint: !writes,
            destructiveHint: destructive.has(operation.operationId),
            idempotentHint: true,
            openWorldHint: true,
          },
        },
        route: { group, method: method.toUpperCase(), apiPath: path },
      };
    });
  });
}

/**
 * MCP tool definitions (name, description, JSON Schema input and output, annotations) for every
 * action operation, built from the action specs — the same descriptions and input schemas
 * Bedrock sees, the output being the operation's 200 response — plus the route each tool maps
 * to. The MCP servers (stdio and Streamable HTTP) and the AgentCore Gateway target use them.
 *
 * Annotations, from what each operation does:
 * - readOnlyHint: a GET without `x-requireConfirmation` (a read changes nothing).
 * - destructiveHint: a write that replaces or removes what the customer has — reschedule (the
 *   old slot is given up) and cancel; both need an appointment to exist (`not_scheduled` among
 *   their 409s), while booking refuses one that exists (`already_scheduled`) and a note is added.
 * - idempotentHint: true for all. Reads trivially; every write runs through the write stack with
 *   one run per idempotency key (src/bedrock/routes.ts defineWrite: session, project, parameters
 *   and target), so the same call repeated in the same session gets the first answer and changes
 *   nothing more.
 * - openWorldHint: true for all. Every operation reads or writes PF360 (or the weather service),
 *   systems outside this backend.
 */
import { toJsonSchema } from './json-schema.js';
import { actionGroups, deref, type OpenApiDoc, operationsOf, readSpec } from './specs.js';

/** Writes that replace or remove something the customer has (see the header). */
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
    /** The operation's 200 response schema, self-contained (no $ref): what structuredContent carries. */
    outputSchema: {
      type: 'object';
      properties: Record<string, unknown>;
      required?: string[];
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

/** `node` with every local `$ref` replaced by what it names (the action specs have no cycles). */
function inlineRefs(doc: OpenApiDoc, node: OpenApiDoc, seen: readonly string[] = []): OpenApiDoc {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(doc, item, seen));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    if (seen.includes(node.$ref)) throw new Error(`recursive schema ${node.$ref} cannot become an outputSchema`);
    return inlineRefs(doc, deref(doc, node), [...seen, node.$ref]);
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inlineRefs(doc, value, seen)]));
}

/**
 * The operation's 200 response as one JSON Schema without references, in the keywords draft-07
 * and 2020-12 share (`nullable` became a `null` type), so any client's validator reads it alike.
 */
function outputSchema(doc: OpenApiDoc, operation: OpenApiDoc): ToolDefinition['tool']['outputSchema'] {
  const node = deref(doc, operation.responses?.['200'] ?? {}).content?.['application/json']?.schema;
  if (!node) throw new Error(`${operation.operationId} has no application/json 200 response`);
  const schema = toJsonSchema(inlineRefs(doc, node));
  if (schema.type !== 'object') throw new Error(`${operation.operationId}: an MCP outputSchema must be an object`);
  return schema as ToolDefinition['tool']['outputSchema'];
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
          outputSchema: outputSchema(doc, operation),
          annotations: {
            title,
            readOnlyHint: !writes && !requiresConfirmation,
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

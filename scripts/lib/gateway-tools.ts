/**
 * The 13 MCP tool definitions (scripts/lib/mcp-tools.ts) as an AgentCore Gateway Lambda target
 * takes them in `ToolSchema.InlinePayload`: the Gateway's schema language is a small subset of
 * JSON Schema, with PascalCase keys — `Type`, `Properties`, `Required`, `Items`, `Description`
 * and nothing else (CloudFormation's SchemaDefinition has `additionalProperties: false`).
 *
 * Conversion, per schema node:
 * - constraints the Gateway cannot express (pattern, format, lengths, bounds, default) are
 *   dropped: the tool's own input validators (generated from the same specs) stay the gate in
 *   the Lambda, and the descriptions already say them in words;
 * - an `enum` (or `const`) is folded into the description ("One of: …"), so the model still
 *   knows the allowed values;
 * - anything else (oneOf, anyOf, $ref, a union type, …) stops the generator: dropping it would
 *   silently change what the tool accepts.
 *
 * Write tools (their operation is `x-requireConfirmation: ENABLED`) also get the optional
 * `confirmation_id` property of the two-step flow (src/tools/two-step-schema.ts): on the Gateway
 * nothing else asks the customer before a change.
 */
import { confirmationIdName, confirmationIdProperty } from '../../src/tools/two-step-schema.js';
import { buildToolDefinitions, type ToolDefinition } from './mcp-tools.js';
import { actionGroups, operationsOf, readSpec } from './specs.js';

export const gatewaySchemaTypes = ['string', 'number', 'object', 'array', 'boolean', 'integer'] as const;
export type GatewaySchemaType = (typeof gatewaySchemaTypes)[number];

/** CloudFormation AWS::BedrockAgentCore::GatewayTarget SchemaDefinition. */
export interface GatewaySchema {
  Type: GatewaySchemaType;
  Description?: string;
  Properties?: Record<string, GatewaySchema>;
  Required?: string[];
  Items?: GatewaySchema;
}

/** CloudFormation AWS::BedrockAgentCore::GatewayTarget ToolDefinition (no OutputSchema: the answers are free JSON). */
export interface GatewayTool {
  Name: string;
  Description: string;
  InputSchema: GatewaySchema;
}

/** The only keys a SchemaDefinition may have, and those a ToolDefinition may have. */
export const schemaDefinitionKeys = ['Type', 'Description', 'Properties', 'Required', 'Items'] as const;
export const toolDefinitionKeys = ['Name', 'Description', 'InputSchema', 'OutputSchema'] as const;

/** JSON Schema keywords whose meaning the Gateway cannot carry and the Lambda's validators enforce. */
const enforcedByTheLambda = new Set([
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'additionalProperties',
  'default',
  'title',
  'examples',
]);

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema nodes are untyped JSON.
type JsonSchema = Record<string, any>;

function allowedValues(values: unknown[]): string {
  return `One of: ${values.map((v) => JSON.stringify(v)).join(', ')}.`;
}

/** One JSON Schema node as a Gateway SchemaDefinition; `where` names it in errors. */
export function toGatewaySchema(schema: JsonSchema, where: string): GatewaySchema {
  const { type, description, properties, required, items, enum: values, const: constant, ...rest } = schema;
  const unsupported = Object.keys(rest).filter((key) => !enforcedByTheLambda.has(key));
  if (unsupported.length > 0) {
    throw new Error(`${where}: ${unsupported.join(', ')} cannot be expressed in an AgentCore Gateway tool schema`);
  }
  if (!gatewaySchemaTypes.includes(type)) {
    throw new Error(`${where}: type ${JSON.stringify(type)} is not one of ${gatewaySchemaTypes.join(', ')}`);
  }
  const notes = [
    typeof description === 'string' ? description.trim() : '',
    Array.isArray(values) ? allowedValues(values) : '',
    constant !== undefined ? allowedValues([constant]) : '',
  ].filter(Boolean);
  const out: GatewaySchema = { Type: type };
  if (notes.length > 0) out.Description = notes.join(' ');
  if (properties !== undefined) {
    out.Properties = Object.fromEntries(
      Object.entries<JsonSchema>(properties).map(([name, child]) => [name, toGatewaySchema(child, `${where}.${name}`)]),
    );
  }
  if (Array.isArray(required) && required.length > 0) out.Required = [...required];
  if (items !== undefined) out.Items = toGatewaySchema(items, `${where}[]`);
  return out;
}

/** The operationIds whose spec marks them `x-requireConfirmation: ENABLED`. */
export function writeToolNames(): Set<string> {
  return new Set(
    actionGroups.flatMap((group) =>
      operationsOf(readSpec(group))
        .filter(({ operation }) => operation['x-requireConfirmation'] === 'ENABLED')
        .map(({ operation }) => String(operation.operationId)),
    ),
  );
}

export function buildGatewayTools(
  definitions: ToolDefinition[] = buildToolDefinitions(),
  writes: Set<string> = writeToolNames(),
): GatewayTool[] {
  return definitions.map(({ tool }) => {
    const input = toGatewaySchema(tool.inputSchema, tool.name);
    if (writes.has(tool.name)) {
      if (input.Properties?.[confirmationIdName]) {
        throw new Error(`${tool.name}: its spec already has a ${confirmationIdName} input`);
      }
      input.Properties = {
        ...input.Properties,
        [confirmationIdName]: toGatewaySchema(confirmationIdProperty, `${tool.name}.${confirmationIdName}`),
      };
    }
    return { Name: tool.name, Description: tool.description, InputSchema: input };
  });
}

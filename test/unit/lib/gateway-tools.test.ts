/**
 * scripts/lib/gateway-tools.ts: the MCP tools converted to the AgentCore Gateway's tool-schema
 * subset (generated/catalog/gateway-tools.json, the GatewayTarget's InlinePayload).
 */
import { describe, expect, it } from 'vitest';
import { mcpTools } from '../../../generated/catalog/mcp-tools.js';
import {
  buildGatewayTools,
  schemaDefinitionKeys,
  toGatewaySchema,
  writeToolNames,
} from '../../../scripts/lib/gateway-tools.js';
import type { ToolDefinition } from '../../../scripts/lib/mcp-tools.js';
import { confirmationIdProperty } from '../../../src/tools/two-step-schema.js';

// biome-ignore lint/suspicious/noExplicitAny: walking untyped schema trees.
function keysOf(node: any, out = new Set<string>()): Set<string> {
  for (const key of Object.keys(node)) out.add(key);
  for (const child of Object.values(node.Properties ?? {})) keysOf(child, out);
  if (node.Items) keysOf(node.Items, out);
  return out;
}

describe('toGatewaySchema', () => {
  it('keeps type, description, properties, required and items, in PascalCase, and drops the constraints', () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      properties: {
        id: { type: 'string', pattern: '^[0-9]+$', minLength: 1, maxLength: 9, description: 'An id.' },
        days: { type: 'integer', format: 'int32', minimum: 1, maximum: 16, default: 7 },
        tags: { type: 'array', maxItems: 3, items: { type: 'string', format: 'date' } },
      },
      required: ['id'],
    };
    expect(toGatewaySchema(schema, 'tool')).toEqual({
      Type: 'object',
      Properties: {
        id: { Type: 'string', Description: 'An id.' },
        days: { Type: 'integer' },
        tags: { Type: 'array', Items: { Type: 'string' } },
      },
      Required: ['id'],
    });
  });

  it('folds an enum or a const into the description, so the model still knows the allowed values', () => {
    expect(toGatewaySchema({ type: 'string', enum: ['AM', 'PM'], description: 'Half of the day.' }, 't.half')).toEqual({
      Type: 'string',
      Description: 'Half of the day. One of: "AM", "PM".',
    });
    expect(toGatewaySchema({ type: 'integer', const: 1 }, 't.one')).toEqual({
      Type: 'integer',
      Description: 'One of: 1.',
    });
  });

  it('refuses what it cannot express instead of silently widening the tool', () => {
    expect(() => toGatewaySchema({ oneOf: [{ type: 'string' }, { type: 'integer' }] }, 'tool.x')).toThrow(
      'tool.x: oneOf cannot be expressed in an AgentCore Gateway tool schema',
    );
    expect(() => toGatewaySchema({ type: ['string', 'null'] }, 'tool.y')).toThrow('tool.y: type ["string","null"]');
    expect(() => toGatewaySchema({ type: 'object', properties: { z: { $ref: '#/x' } } }, 'tool')).toThrow(
      'tool.z: $ref cannot be expressed',
    );
  });
});

describe('buildGatewayTools', () => {
  const tools = buildGatewayTools();

  it('has the 13 catalog tools with their names and descriptions, in the catalog order', () => {
    expect(tools.map((t) => [t.Name, t.Description])).toEqual(mcpTools.map((t) => [t.tool.name, t.tool.description]));
    expect(tools).toHaveLength(13);
  });

  it('uses only the keys a Gateway SchemaDefinition allows', () => {
    for (const tool of tools) {
      expect(Object.keys(tool).sort(), tool.Name).toEqual(['Description', 'InputSchema', 'Name']);
      expect(tool.InputSchema.Type, tool.Name).toBe('object');
      for (const key of keysOf(tool.InputSchema)) expect(schemaDefinitionKeys, `${tool.Name}: ${key}`).toContain(key);
    }
  });

  it('keeps each tool’s inputs and required list, plus confirmation_id on exactly the write tools', () => {
    const writes = writeToolNames();
    expect([...writes].sort()).toEqual([
      'add_note',
      'cancel_appointment',
      'confirm_appointment',
      'reschedule_appointment',
    ]);
    for (const { tool } of mcpTools) {
      const gateway = tools.find((t) => t.Name === tool.name);
      const inputs = Object.keys(tool.inputSchema.properties);
      const expected = writes.has(tool.name) ? [...inputs, 'confirmation_id'] : inputs;
      expect(Object.keys(gateway?.InputSchema.Properties ?? {}), tool.name).toEqual(expected);
      const required = (tool.inputSchema as { required?: readonly string[] }).required;
      expect(gateway?.InputSchema.Required, tool.name).toEqual(required ? [...required] : undefined);
    }
    const confirm = tools.find((t) => t.Name === 'confirm_appointment');
    expect(confirm?.InputSchema.Properties?.confirmation_id).toEqual({
      Type: 'string',
      Description: confirmationIdProperty.description,
    });
    expect(confirm?.InputSchema.Required).not.toContain('confirmation_id');
  });

  it('refuses a write tool whose spec already declares confirmation_id', () => {
    const definitions = structuredClone(
      mcpTools.filter((t) => t.tool.name === 'add_note'),
    ) as unknown as ToolDefinition[];
    const [definition] = definitions;
    if (!definition) throw new Error('add_note is missing from the catalog');
    definition.tool.inputSchema.properties.confirmation_id = { type: 'string' };
    expect(() => buildGatewayTools([definition], new Set(['add_note']))).toThrow(
      'add_note: its spec already has a confirmation_id input',
    );
  });
});

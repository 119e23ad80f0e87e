/** The generated MCP tool definitions are the action specs' operations, descriptions and inputs. */
import { describe, expect, it } from 'vitest';
import { mcpTools } from '../../generated/catalog/mcp-tools.js';
import { actionGroups, deref, operationsOf, readSpec } from '../../scripts/lib/specs.js';

const operations = actionGroups.flatMap((group) => {
  const doc = readSpec(group);
  return operationsOf(doc).map(({ method, path, operation }) => {
    const params = (operation.parameters ?? []).map((p: object) => deref(doc, p));
    const body = operation.requestBody
      ? deref(doc, deref(doc, operation.requestBody).content['application/json'].schema)
      : undefined;
    return {
      group,
      method: method.toUpperCase(),
      path,
      operation,
      names: [...params.map((p: { name: string }) => p.name), ...Object.keys(body?.properties ?? {})].sort(),
      required: [
        ...params.filter((p: { required?: boolean }) => p.required).map((p: { name: string }) => p.name),
        ...(body?.required ?? []),
      ].sort(),
    };
  });
});

describe('generated MCP tools', () => {
  it('are the 13 operations of the three action specs, one tool each', () => {
    expect(mcpTools.map((t) => t.tool.name).sort()).toEqual(operations.map((o) => o.operation.operationId).sort());
    expect(mcpTools).toHaveLength(13);
  });

  it.each(operations.map((o) => [o.operation.operationId, o] as const))(
    '%s keeps its route, inputs and description',
    (name, op) => {
      const tool = mcpTools.find((t) => t.tool.name === name);
      expect(tool?.route).toEqual({ group: op.group, method: op.method, apiPath: op.path });
      expect(Object.keys(tool?.tool.inputSchema.properties ?? {}).sort()).toEqual(op.names);
      const schema = (tool?.tool.inputSchema ?? {}) as { required?: readonly string[] };
      expect([...(schema.required ?? [])].sort()).toEqual(op.required);
      expect(tool?.tool.inputSchema.additionalProperties).toBe(false);
      expect(tool?.tool.description.startsWith(String(op.operation.description).trim())).toBe(true);
      const confirms = op.operation['x-requireConfirmation'] === 'ENABLED';
      expect(tool?.tool.description.includes('it runs only after they confirm')).toBe(confirms);
      expect(tool?.tool.annotations.readOnlyHint).toBe(op.method === 'GET');
    },
  );

  it('take no identity from the caller', () => {
    for (const { tool } of mcpTools) {
      expect(
        Object.keys(tool.inputSchema.properties).filter((n) => /customer|client|tenant|token|session/i.test(n)),
      ).toEqual([]);
    }
  });
});

/**
 * The generated MCP tool definitions are the action specs' operations: descriptions, inputs, the
 * 200 response as outputSchema, and annotations that say what each operation does.
 */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { mcpTools } from '../../generated/catalog/mcp-tools.js';
import { toJsonSchema } from '../../scripts/lib/json-schema.js';
import { actionGroups, deref, type OpenApiDoc, operationsOf, readSpec } from '../../scripts/lib/specs.js';
import { informationRoutes } from '../../src/action-groups/information/routes.js';
import { notesRoutes } from '../../src/action-groups/notes/routes.js';
import { schedulingRoutes } from '../../src/action-groups/scheduling/routes.js';
import { isWriteOperation } from '../../src/bedrock/routes.js';

const routeTables: Record<(typeof actionGroups)[number], Record<string, unknown>> = {
  scheduling: schedulingRoutes,
  information: informationRoutes,
  notes: notesRoutes,
};

/** `schema` with each `#/definitions/X` replaced by that definition, the definitions dropped. */
function resolve(schema: OpenApiDoc, definitions: OpenApiDoc): OpenApiDoc {
  if (Array.isArray(schema)) return schema.map((s) => resolve(s, definitions));
  if (schema === null || typeof schema !== 'object') return schema;
  if (typeof schema.$ref === 'string')
    return resolve(definitions[schema.$ref.replace('#/definitions/', '')], definitions);
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => key !== 'definitions')
      .map(([key, value]) => [key, resolve(value, definitions)]),
  );
}

/** The error types a response's description lists ("… error_type: a, b."). */
function errorTypes(doc: OpenApiDoc, operation: OpenApiDoc, status: string): string[] {
  const response = operation.responses?.[status];
  const listed = response ? /error_type: ([a-z_, ]+)\.$/.exec(String(deref(doc, response).description).trim()) : null;
  return listed?.[1] ? listed[1].split(',').map((c) => c.trim()) : [];
}

const operations = actionGroups.flatMap((group) => {
  const doc = readSpec(group);
  return operationsOf(doc).map(({ method, path, operation }) => {
    const params = (operation.parameters ?? []).map((p: object) => deref(doc, p));
    const body = operation.requestBody
      ? deref(doc, deref(doc, operation.requestBody).content['application/json'].schema)
      : undefined;
    const ok = deref(doc, operation.responses['200']).content['application/json'];
    return {
      group,
      method: method.toUpperCase(),
      path,
      operation,
      route: routeTables[group][`${method.toUpperCase()} ${path}`],
      conflicts: errorTypes(doc, operation, '409'),
      /** The 200 schema as the response validators read it: $refs into its definitions. */
      okSchema: { ...toJsonSchema(ok.schema, '#/definitions/'), definitions: toJsonSchema(doc.components.schemas) },
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

  it.each(operations.map((o) => [o.operation.operationId, o] as const))(
    '%s declares its 200 response as a self-contained outputSchema',
    (name, op) => {
      const { outputSchema } = mcpTools.find((t) => t.tool.name === name)?.tool ?? {};
      expect(outputSchema?.type).toBe('object');
      // The spec's schema with its references resolved, in plain JSON Schema (nullable → null).
      expect(outputSchema).toEqual(resolve(op.okSchema, op.okSchema.definitions));
      expect(JSON.stringify(outputSchema)).not.toMatch(/\$ref|nullable|definitions/);
      // A client validator (the MCP SDK's: Ajv, draft-07 defaults, formats) compiles it.
      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats.default(ajv);
      expect(() => ajv.compile(outputSchema as object)).not.toThrow();
    },
  );

  it.each(operations.map((o) => [o.operation.operationId, o] as const))(
    '%s is annotated as its operation behaves',
    (name, op) => {
      const { annotations, title } = mcpTools.find((t) => t.tool.name === name)?.tool ?? {};
      const writes = op.operation['x-requireConfirmation'] === 'ENABLED';
      expect(annotations?.title).toBe(title);
      // Reads are the GETs; the writes, and only they, ask for confirmation.
      expect(annotations?.readOnlyHint).toBe(op.method === 'GET' && !writes);
      expect(writes).toBe(op.method !== 'GET');
      // Destructive: a write that changes or removes an appointment that exists — it is refused
      // when there is none (not_scheduled). Booking refuses to replace one (already_scheduled)
      // and a note only adds.
      expect(annotations?.destructiveHint).toBe(writes && op.conflicts.includes('not_scheduled'));
      if (name === 'confirm_appointment') expect(op.conflicts).toContain('already_scheduled');
      // Idempotent: a read, or a write the edge runs through the write stack, one run per
      // idempotency key (defineWrite), so the same call again changes nothing more.
      expect(isWriteOperation(op.route)).toBe(writes);
      expect(annotations?.idempotentHint).toBe(!writes || isWriteOperation(op.route));
      // Open world: every operation talks to PF360 or the weather service, outside this backend.
      expect(annotations?.openWorldHint).toBe(true);
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

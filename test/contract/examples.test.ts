import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { toJsonSchema } from '../../scripts/lib/json-schema.js';
import { deref, type OpenApiDoc, operationsOf, readSpec } from '../../scripts/lib/specs.js';

interface ExampleCase {
  where: string;
  schema: OpenApiDoc;
  value: unknown;
}

/** Every named example in requests and responses of a spec, with the schema it must satisfy. */
function examplesOf(name: 'pf360' | 'weather' | 'chat'): ExampleCase[] {
  const doc = readSpec(name);
  const cases: ExampleCase[] = [];
  const collect = (where: string, media: OpenApiDoc | undefined) => {
    const content = media?.['application/json'];
    if (!content?.examples) return;
    for (const [key, example] of Object.entries<OpenApiDoc>(content.examples)) {
      cases.push({ where: `${where} ${key}`, schema: content.schema, value: deref(doc, example).value });
    }
  };
  for (const { method, path, operation } of operationsOf(doc)) {
    const label = `${method.toUpperCase()} ${path}`;
    if (operation.requestBody) collect(`${label} request`, deref(doc, operation.requestBody).content);
    for (const [status, raw] of Object.entries<OpenApiDoc>(operation.responses)) {
      collect(`${label} ${status}`, deref(doc, raw).content);
    }
  }
  return cases;
}

describe.each(['pf360', 'weather', 'chat'] as const)('examples in %s.yaml', (name) => {
  const doc = readSpec(name);
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  ajvFormats.default(ajv);
  ajv.addSchema({ $id: name, definitions: toJsonSchema(doc.components?.schemas ?? {}, `${name}#/definitions/`) });
  const cases = examplesOf(name);

  it('exist for every response that has a body', () => {
    expect(cases.length).toBeGreaterThan(5);
  });

  it.each(cases.map((c) => [c.where, c] as const))('%s validates against its own schema', (_where, example) => {
    const validate = ajv.compile(toJsonSchema(example.schema, `${name}#/definitions/`));
    const ok = validate(example.value);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(ok).toBe(true);
  });
});

describe('the PF360 demo data', () => {
  const doc = readSpec('pf360');
  const dashboard = deref(doc, doc.paths['/dashboard/get/{client_id}/{customer_id}'].get.responses['200']).content[
    'application/json'
  ].examples.demo_customer.value.data as Record<string, string | null>[];

  it('has at least three projects in different states and categories, one weather-sensitive', () => {
    const statuses = new Set(dashboard.map((p) => p.status_info_status));
    const categories = new Set(dashboard.map((p) => p.project_category_category));
    expect(dashboard.length).toBeGreaterThanOrEqual(3);
    expect(statuses).toContain('Scheduled');
    expect(statuses).toContain('Pending');
    expect(categories.size).toBe(dashboard.length);
    expect([...categories].filter((c) => /roof|deck|siding|window|exterior/i.test(c ?? ''))).not.toEqual([]);
  });
});

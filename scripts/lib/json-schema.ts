/**
 * OpenAPI 3.0 Schema Objects are almost JSON Schema draft-07; Ajv in strict mode needs the
 * difference removed. This converts one schema tree:
 * - `nullable: true` becomes a union with `null` (and adds null to an `enum`);
 * - annotation keywords Ajv does not know (`example`, `xml`, `x-*`, ...) are dropped;
 * - `#/components/schemas/X` references become `#/definitions/X` so the component schemas can
 *   travel as `definitions` of one root schema (`refPrefix` names that root, e.g. `pf360#/definitions/`).
 */
import type { OpenApiDoc } from './specs.js';

const dropped = new Set([
  'example',
  'examples',
  'xml',
  'externalDocs',
  'deprecated',
  'discriminator',
  'readOnly',
  'writeOnly',
]);

export function toJsonSchema(schema: OpenApiDoc, refPrefix = '#/definitions/'): OpenApiDoc {
  if (Array.isArray(schema)) return schema.map((s) => toJsonSchema(s, refPrefix));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: OpenApiDoc = {};
  for (const [key, value] of Object.entries(schema)) {
    if (dropped.has(key) || key.startsWith('x-') || key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.replace('#/components/schemas/', refPrefix);
    } else if (key === 'properties' || key === 'definitions') {
      out[key] = Object.fromEntries(
        Object.entries(value as OpenApiDoc).map(([k, v]) => [k, toJsonSchema(v, refPrefix)]),
      );
    } else if (typeof value === 'object' && value !== null) {
      out[key] = toJsonSchema(value, refPrefix);
    } else {
      out[key] = value;
    }
  }
  if (schema.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

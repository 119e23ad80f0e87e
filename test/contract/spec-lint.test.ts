import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type Finding, lintActionSpec, validateOpenApi } from '../../scripts/lib/spec-lint.js';
import { actionGroups, type OpenApiDoc, readSpec, repoRoot, specFiles } from '../../scripts/lib/specs.js';

const errorResponse = {
  description: 'error',
  content: { 'application/json': { schema: { type: 'object', properties: { error: { type: 'string' } } } } },
};

/** A small spec that passes every rule; each test breaks exactly one. */
function validSpec(): OpenApiDoc {
  return {
    openapi: '3.0.0',
    info: { title: 'test', version: '1' },
    paths: {
      '/get-thing': {
        get: {
          operationId: 'get_thing',
          description: 'Returns a thing.',
          parameters: [
            { name: 'thing_id', in: 'query', required: true, description: 'The thing.', schema: { type: 'string' } },
          ],
          responses: { '200': errorResponse },
        },
      },
      '/save-thing': {
        post: {
          operationId: 'save_thing',
          description: 'Saves a thing.',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { thing_id: { type: 'string', description: 'The thing.' } },
                },
              },
            },
          },
          responses: { '200': errorResponse },
        },
      },
    },
  };
}

function rulesOf(findings: Finding[]): string[] {
  return findings.map((f) => f.rule);
}

const breakages: [string, string, (doc: OpenApiDoc) => void][] = [
  ['OpenAPI 3.1', 'openapi-version', (d) => (d.openapi = '3.1.0')],
  ['an enum', 'no-enum', (d) => (d.paths['/get-thing'].get.parameters[0].schema.enum = ['a', 'b'])],
  ['a duplicated operationId', 'unique-operation-id', (d) => (d.paths['/save-thing'].post.operationId = 'get_thing')],
  ['a missing operationId', 'operation-id', (d) => delete d.paths['/get-thing'].get.operationId],
  ['a missing operation description', 'operation-description', (d) => delete d.paths['/get-thing'].get.description],
  [
    'an over-long operation description',
    'operation-description',
    (d) => (d.paths['/get-thing'].get.description = 'x'.repeat(1201)),
  ],
  [
    'a missing parameter description',
    'parameter-description',
    (d) => delete d.paths['/get-thing'].get.parameters[0].description,
  ],
  [
    'an over-long parameter description',
    'parameter-description',
    (d) => (d.paths['/get-thing'].get.parameters[0].description = 'x'.repeat(501)),
  ],
  [
    'a request body on GET',
    'no-body-on-get-delete',
    (d) => (d.paths['/get-thing'].get.requestBody = d.paths['/save-thing'].post.requestBody),
  ],
  [
    'a nested request body',
    'flat-body',
    (d) =>
      (d.paths['/save-thing'].post.requestBody.content['application/json'].schema.properties.address = {
        type: 'object',
        description: 'nested',
        properties: { city: { type: 'string' } },
      }),
  ],
  [
    'twelve operations',
    'max-operations',
    (d) => {
      for (let i = 0; i < 11; i++) {
        d.paths[`/op-${i}`] = { get: { ...structuredClone(d.paths['/get-thing'].get), operationId: `op_${i}` } };
      }
    },
  ],
  [
    'six parameters',
    'max-parameters',
    (d) => {
      const op = d.paths['/get-thing'].get;
      for (let i = 0; i < 5; i++) op.parameters.push({ ...op.parameters[0], name: `p${i}` });
    },
  ],
  ['a name outside the pattern', 'name-pattern', (d) => (d.paths['/get-thing'].get.operationId = 'get thing')],
  [
    'a double separator in a parameter name',
    'name-pattern',
    (d) => (d.paths['/get-thing'].get.parameters[0].name = 'thing__id'),
  ],
  [
    'a customer id parameter',
    'no-identity-input',
    (d) => (d.paths['/get-thing'].get.parameters[0].name = 'customer_id'),
  ],
  ['a header parameter', 'parameter-location', (d) => (d.paths['/get-thing'].get.parameters[0].in = 'header')],
  [
    'a response without a schema',
    'response-schema',
    (d) => (d.paths['/get-thing'].get.responses['404'] = { description: 'missing' }),
  ],
];

describe('lintActionSpec', () => {
  it('passes a spec that keeps every rule', () => {
    expect(lintActionSpec('valid.yaml', validSpec())).toEqual([]);
  });

  it.each(breakages)('reports %s as %s, naming the file and the operation', (_what, rule, breakIt) => {
    const doc = validSpec();
    breakIt(doc);
    const findings = lintActionSpec('broken.yaml', doc);
    expect(rulesOf(findings)).toContain(rule);
    const finding = findings.find((f) => f.rule === rule);
    expect(finding?.file).toBe('broken.yaml');
    if (rule !== 'openapi-version' && rule !== 'max-operations') expect(finding?.operation).toBeTruthy();
  });

  it('passes the real action specs, with operationIds unique across all three', () => {
    const seen = new Map<string, string>();
    for (const group of actionGroups) {
      expect(lintActionSpec(specFiles[group], readSpec(group), seen)).toEqual([]);
    }
    expect(seen.size).toBe(13);
  });
});

describe('validateOpenApi', () => {
  it('accepts every real spec', async () => {
    for (const name of Object.keys(specFiles) as (keyof typeof specFiles)[]) {
      expect(await validateOpenApi(specFiles[name], readSpec(name))).toEqual([]);
    }
  });

  it('rejects a structurally invalid spec', async () => {
    const doc = validSpec();
    delete doc.paths['/get-thing'].get.responses;
    doc.paths['/get-thing'].get.parameters[0].in = 'nowhere';
    const findings = await validateOpenApi('bad.yaml', doc);
    expect(rulesOf(findings)).toEqual(['openapi-valid']);
  });
});

describe('npm run lint:specs', () => {
  function run(args: string[]) {
    return spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/lint-specs.ts'), ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
  }

  it('passes the repository specs', () => {
    const result = run([]);
    // Every spec in openapi/: the action groups, PF360, weather, chat and the agent runtime.
    expect(result.stdout).toContain(`${Object.keys(specFiles).length} specs OK`);
    expect(result.status).toBe(0);
  });

  it('prints file, operation and rule for a broken spec and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-specs-'));
    const doc = validSpec();
    doc.paths['/get-thing'].get.parameters[0].schema.enum = ['a'];
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, stringify(doc));
    const result = run(['--action', file]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/broken\.yaml: get_thing: \[no-enum\]/);
  });
});

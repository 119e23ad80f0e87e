/**
 * The one list of OpenAPI files this repository owns, for the code generator, the spec linter
 * and the contract tests. Runtime code never reads YAML: it uses what `npm run generate` wrote.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** True when the module at `moduleUrl` (its import.meta.url) is the script node was started with. */
export function isMainModule(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && resolve(process.argv[1] ?? '') === fileURLToPath(moduleUrl);
}

export const actionGroups = ['scheduling', 'information', 'notes'] as const;
export type ActionGroup = (typeof actionGroups)[number];

export const specFiles = {
  scheduling: 'openapi/actions/scheduling.yaml',
  information: 'openapi/actions/information.yaml',
  notes: 'openapi/actions/notes.yaml',
  pf360: 'openapi/pf360.yaml',
  weather: 'openapi/weather.yaml',
  chat: 'openapi/chat.yaml',
  'agentcore-runtime': 'openapi/agentcore-runtime.yaml',
} as const;
export type SpecName = keyof typeof specFiles;

export const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI documents are untyped YAML.
export type OpenApiDoc = Record<string, any>;

export function readSpec(name: SpecName): OpenApiDoc {
  return parse(readFileSync(join(repoRoot, specFiles[name]), 'utf8')) as OpenApiDoc;
}

/** Follows a local `#/a/b/c` reference inside `doc`. */
export function resolveRef(doc: OpenApiDoc, ref: string): OpenApiDoc {
  if (!ref.startsWith('#/')) throw new Error(`only local $ref is supported, got ${ref}`);
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
    node = (node as OpenApiDoc | undefined)?.[key];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return node as OpenApiDoc;
}

/** Resolves `node` if it is a `{ $ref }`, repeatedly. */
export function deref(doc: OpenApiDoc, node: OpenApiDoc): OpenApiDoc {
  let current = node;
  while (current && typeof current.$ref === 'string') current = resolveRef(doc, current.$ref);
  return current;
}

export interface SpecOperation {
  method: (typeof httpMethods)[number];
  path: string;
  operation: OpenApiDoc;
}

export function operationsOf(doc: OpenApiDoc): SpecOperation[] {
  const result: SpecOperation[] = [];
  for (const [path, item] of Object.entries<OpenApiDoc>(doc.paths ?? {})) {
    for (const method of httpMethods) {
      if (item[method]) result.push({ method, path, operation: item[method] });
    }
  }
  return result;
}

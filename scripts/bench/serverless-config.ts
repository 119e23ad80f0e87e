/**
 * What the bundle benchmark takes from serverless.yml, so that it builds and starts the functions
 * exactly as they are deployed: the esbuild options (`custom.esbuild`, as serverless-esbuild
 * passes them on), each function's handler, and each function's environment for a stage.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { parse, type ScalarTag, type Tags } from 'yaml';
import { repoRoot } from '../lib/specs.js';

/**
 * CloudFormation's short-form intrinsics. Their values exist only once the stack is deployed
 * (an agent id, a table ARN), so each parses to a placeholder naming what it stands for.
 */
const intrinsics = ['Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Ref', 'Select', 'Split']
  .concat(['Sub', 'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'Condition'])
  .flatMap(
    (name): Tags => [
      { tag: `!${name}`, resolve: (value: string) => `<${name} ${value}>` } satisfies ScalarTag,
      { tag: `!${name}`, collection: 'seq', resolve: () => `<${name}>` },
      { tag: `!${name}`, collection: 'map', resolve: () => `<${name}>` },
    ],
  );

/**
 * serverless-esbuild's own settings, which it deletes before calling esbuild (its bundle.js), and
 * its defaults for the esbuild settings serverless.yml leaves out (its getBuildOptions).
 */
const pluginOnlyKeys = new Set([
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
]);
const pluginDefaults = { bundle: true, platform: 'node' } satisfies BuildOptions;
const pluginDefaultExclude = ['aws-sdk'];

type Yaml = Record<string, unknown>;

export interface FunctionDefinition {
  /** The key under `functions:` (scheduling, information, notes, chat). */
  name: string;
  /** The handler's source file, relative to the repository root. */
  entry: string;
  /** The environment Lambda gives it: provider.environment merged with its own, resolved. */
  environment: Record<string, string>;
  deployedName: string;
  region: string;
  memorySize: number;
}

export interface ServerlessConfig {
  stage: string;
  esbuild: BuildOptions;
  functions: FunctionDefinition[];
}

function isRecord(value: unknown): value is Yaml {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(document: Yaml, path: string): unknown {
  let value: unknown = document;
  for (const key of path.split('.')) value = isRecord(value) ? value[key] : undefined;
  return value;
}

/**
 * Resolves the Serverless variables the function settings use: `${param:x}` (the stage's params
 * over `default`), `${sls:stage}`, `${self:a.b}` and `${opt:x, 'fallback'}` (no options are
 * given, so the fallback). Innermost first, as the framework does; anything else is an error
 * rather than a silently wrong value.
 */
function resolver(document: Yaml, stage: string): (value: unknown) => string {
  const params = (name: string) => at(document, `params.${stage}.${name}`) ?? at(document, `params.default.${name}`);
  const lookup = (reference: string): unknown => {
    const [source = '', rest = ''] = reference.split(/:(.*)/s).map((part) => part.trim());
    if (source === 'param') return params(rest);
    if (source === 'sls' && rest === 'stage') return stage;
    if (source === 'self') return at(document, rest);
    if (source === 'opt') return /,\s*'([^']*)'$/.exec(rest)?.[1];
    return undefined;
  };
  const resolve = (value: unknown): string => {
    let text = String(value);
    for (let match = /\$\{([^${}]+)\}/.exec(text); match; match = /\$\{([^${}]+)\}/.exec(text)) {
      const found = lookup(match[1] ?? '');
      if (found === undefined || isRecord(found) || Array.isArray(found)) {
        throw new Error(`serverless.yml: cannot resolve \${${match[1]}} for stage ${stage}`);
      }
      text = text.replace(match[0], String(found));
    }
    return text;
  };
  return resolve;
}

function stringMap(value: unknown, resolve: (value: unknown) => string): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, resolve(entry)]));
}

export function readServerlessConfig(stage: string): ServerlessConfig {
  const document = parse(readFileSync(join(repoRoot, 'serverless.yml'), 'utf8'), {
    customTags: intrinsics,
    merge: true,
  }) as Yaml;
  const resolve = resolver(document, stage);

  const custom = at(document, 'custom.esbuild');
  if (!isRecord(custom)) throw new Error('serverless.yml has no custom.esbuild block');
  const exclude = Array.isArray(custom.exclude) ? custom.exclude.map(String) : pluginDefaultExclude;
  const runtime = /^nodejs(\d+)\.x$/.exec(String(at(document, 'provider.runtime')))?.[1];
  const esbuild = {
    ...pluginDefaults,
    ...(runtime ? { target: `node${runtime}` } : {}),
    ...Object.fromEntries(Object.entries(custom).filter(([key]) => !pluginOnlyKeys.has(key))),
    external: [
      ...(Array.isArray(custom.external) ? custom.external.map(String) : []),
      ...(exclude.includes('*') ? [] : exclude),
    ],
  } as BuildOptions;

  const providerEnvironment = at(document, 'provider.environment');
  const functions = Object.entries(at(document, 'functions') as Yaml).map(([name, definition]) => {
    if (!isRecord(definition)) throw new Error(`serverless.yml: functions.${name} is not a mapping`);
    // `src/chat/handler.handler` → the file `src/chat/handler.ts`, export `handler`.
    const entry = `${String(definition.handler).replace(/\.[^./]+$/, '')}.ts`;
    return {
      name,
      entry,
      environment: { ...stringMap(providerEnvironment, resolve), ...stringMap(definition.environment, resolve) },
      deployedName: resolve(definition.name ?? name),
      region: resolve(at(document, 'provider.region')),
      memorySize: Number(resolve(definition.memorySize ?? at(document, 'provider.memorySize'))),
    };
  });
  return { stage, esbuild, functions };
}

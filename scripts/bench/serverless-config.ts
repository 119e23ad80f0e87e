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
 * CloudFormation's short-form intrinsics, parsed to their long form (`!Ref X` → `{ Ref: X }`,
 * `!If [...]` → `{ 'Fn::If': [...] }`). Most values exist only once the stack is deployed (an
 * agent id, a table ARN) and are read as placeholders naming what they stand for; conditions and
 * `Fn::If` are evaluated, since which variables a function gets depends on them.
 */
const intrinsicNames = ['Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Ref', 'Select']
  .concat(['Split', 'Sub', 'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'Condition'])
  .map((name) => ({ name, key: name === 'Ref' || name === 'Condition' ? name : `Fn::${name}` }));
const intrinsics = intrinsicNames.flatMap(
  ({ name, key }): Tags => [
    { tag: `!${name}`, resolve: (value: string) => ({ [key]: value }) } satisfies ScalarTag,
    { tag: `!${name}`, collection: 'seq', resolve: (seq) => ({ [key]: seq.toJSON() }) },
    { tag: `!${name}`, collection: 'map', resolve: (map) => ({ [key]: map.toJSON() }) },
  ],
);
const intrinsicKeys = new Set(intrinsicNames.map(({ key }) => key));

/** The intrinsic a parsed value is, if it is one. */
function intrinsicOf(value: unknown): [key: string, argument: unknown] | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  const [key] = keys;
  return keys.length === 1 && key !== undefined && intrinsicKeys.has(key) ? [key, value[key]] : undefined;
}

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
function resolver(document: Yaml, stage: string, overrides: Record<string, string>): (value: unknown) => string {
  const params = (name: string) =>
    overrides[name] ?? at(document, `params.${stage}.${name}`) ?? at(document, `params.default.${name}`);
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

/**
 * The template's conditions and parameters (from the files under `resources:`), evaluated for the
 * stage: a parameter is its default, which serverless.yml sets from the stage's params.
 */
function conditionEvaluator(document: Yaml, resolve: (value: unknown) => string): (name: string) => boolean {
  const conditions: Yaml = {};
  const parameters: Yaml = {};
  for (const entry of (at(document, 'resources') as unknown[] | undefined) ?? []) {
    const file = /^\$\{file\(\.\/(.+)\)\}$/.exec(String(entry))?.[1];
    const part = file ? (parse(readFileSync(join(repoRoot, file), 'utf8'), { customTags: intrinsics }) as Yaml) : entry;
    if (!isRecord(part)) continue;
    Object.assign(conditions, part.Conditions ?? {});
    Object.assign(parameters, part.Parameters ?? {});
  }
  const operand = (value: unknown): string => {
    const intrinsic = intrinsicOf(value);
    if (intrinsic?.[0] === 'Ref' && isRecord(parameters[String(intrinsic[1])])) {
      return resolve((parameters[String(intrinsic[1])] as Yaml).Default);
    }
    if (intrinsic) throw new Error(`serverless.yml: a condition uses ${intrinsic[0]}, which the bench cannot evaluate`);
    return resolve(value);
  };
  const holds = (value: unknown): boolean => {
    const [key, argument] = intrinsicOf(value) ?? [];
    const args = Array.isArray(argument) ? argument : [argument];
    if (key === 'Condition') return evaluate(String(argument));
    if (key === 'Fn::Equals') return operand(args[0]) === operand(args[1]);
    if (key === 'Fn::Not') return !holds(args[0]);
    if (key === 'Fn::And') return args.every(holds);
    if (key === 'Fn::Or') return args.some(holds);
    throw new Error(`serverless.yml: cannot evaluate the condition ${JSON.stringify(value)}`);
  };
  const evaluate = (name: string): boolean => {
    if (!(name in conditions)) throw new Error(`serverless.yml: no condition ${name} in the resources`);
    return holds(conditions[name]);
  };
  return evaluate;
}

/**
 * A function's variables as Lambda gets them: `!If` decided by its condition (a variable whose
 * branch is `AWS::NoValue` is left out), other intrinsics as placeholders, strings resolved.
 */
function stringMap(
  value: unknown,
  resolve: (value: unknown) => string,
  condition: (name: string) => boolean,
): Record<string, string> {
  if (!isRecord(value)) return {};
  const decide = (entry: unknown): unknown => {
    const [key, argument] = intrinsicOf(entry) ?? [];
    if (key !== 'Fn::If' || !Array.isArray(argument)) return entry;
    const [name, whenTrue, whenFalse] = argument;
    return decide(condition(String(name)) ? whenTrue : whenFalse);
  };
  const placeholder = (entry: unknown): string => {
    const intrinsic = intrinsicOf(entry);
    if (!intrinsic) return resolve(entry);
    const [key, argument] = intrinsic;
    return `<${key.replace('Fn::', '')} ${typeof argument === 'string' ? argument : JSON.stringify(argument)}>`;
  };
  return Object.fromEntries(
    Object.entries(value)
      .map(([key, entry]) => [key, decide(entry)] as const)
      .filter(([, entry]) => intrinsicOf(entry)?.[0] !== 'Ref' || intrinsicOf(entry)?.[1] !== 'AWS::NoValue')
      .map(([key, entry]) => [key, placeholder(entry)]),
  );
}

/** `params` overrides the stage's params, as `sls package --param="name=value"` does. */
export function readServerlessConfig(stage: string, params: Record<string, string> = {}): ServerlessConfig {
  const document = parse(readFileSync(join(repoRoot, 'serverless.yml'), 'utf8'), {
    customTags: intrinsics,
    merge: true,
  }) as Yaml;
  const resolve = resolver(document, stage, params);
  const condition = conditionEvaluator(document, resolve);

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
      environment: {
        ...stringMap(providerEnvironment, resolve, condition),
        ...stringMap(definition.environment, resolve, condition),
      },
      deployedName: resolve(definition.name ?? name),
      region: resolve(at(document, 'provider.region')),
      memorySize: Number(resolve(definition.memorySize ?? at(document, 'provider.memorySize'))),
    };
  });
  return { stage, esbuild, functions };
}

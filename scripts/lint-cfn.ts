/**
 * `npm run lint:cfn [-- <template.json>...]`
 * With no arguments: packages every variant offline, without AWS credentials — each stage (dev,
 * qa, staging, prod) on both agent platforms (classic, agentcore), with and without the AgentCore
 * Gateway — and runs AWS's CloudFormation linter, cfn-lint, on each compiled template, then says
 * which variants passed and which failed. A template with the Gateway is also linted as a copy
 * whose Lambda ARNs are literal: cfn-lint skips the GatewayTarget's tool schemas (and the
 * interceptor) while they hold an intrinsic, and checks them in the copy. With arguments: lints
 * those templates only (e.g. ones already packaged). Exits 1 on any finding, or when cfn-lint is
 * not installed.
 *
 * Packages are kept in .local/packages/, keyed by a hash of everything that goes into them and of
 * the params (packagedStage): CI's lint:cfn step and test/packaging then package each variant once
 * per run, and a later run with unchanged sources packages nothing at all.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { readCommandLine } from './lib/cli.js';
import { isMainModule, repoRoot } from './lib/specs.js';

const run = promisify(execFile);

export const stages = ['dev', 'qa', 'staging', 'prod'] as const;
export type Stage = (typeof stages)[number];

/** serverless.yml params.agentPlatform: which agent answers the chat. */
export const platforms = ['classic', 'agentcore'] as const;
export type Platform = (typeof platforms)[number];

/** One way of deploying a stage: its platform, and whether the AgentCore Gateway is on. */
export interface Variant {
  stage: Stage;
  platform: Platform;
  gateway: boolean;
}

/** Every stage on both platforms, with and without the Gateway: what lint:cfn and test/packaging cover. */
export const variants: Variant[] = stages.flatMap((stage) =>
  platforms.flatMap((platform) => [false, true].map((gateway) => ({ stage, platform, gateway }))),
);

/** The variant every stage deploys by default (serverless.yml params; test/packaging checks the defaults). */
export function isDefaultVariant(variant: Variant): boolean {
  return variant.platform === 'classic' && !variant.gateway;
}

export function variantName({ stage, platform, gateway }: Variant): string {
  return `${stage} ${platform}${gateway ? ' + gateway' : ''}`;
}

/**
 * The --param flags that select a variant. None for the default one: that package is exactly what
 * `npm run package -- --stage <stage>` builds.
 */
export function variantParams(variant: Variant): Record<string, string> {
  if (isDefaultVariant(variant)) return {};
  return { agentPlatform: variant.platform, agentCoreGateway: String(variant.gateway) };
}

/**
 * cfn-lint checks switched off, each with its reason:
 * - W3005 "dependency already enforced by a GetAtt/Ref": the framework itself adds DependsOn on a
 *   function's role and on an HTTP API route's integration next to the GetAtt/Ref; redundant but
 *   harmless, and nothing in serverless.yml can remove it.
 */
export const ignoredChecks = ['W3005'] as const;

export const installHint =
  'cfn-lint is not installed on this machine; install it with `pip install cfn-lint` and run `npm run lint:cfn` again.';

/** The environment for `sls package`: the caller's, minus every AWS_* setting, with no way to find credentials. */
export function offlineEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!key.startsWith('AWS_')) env[key] = value;
  return {
    ...env,
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'pf360-no-aws-credentials'),
    AWS_CONFIG_FILE: join(tmpdir(), 'pf360-no-aws-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** Top-level entries of the checkout a packaging copy does not need (or must not share). */
const notLinked = new Set(['.git', '.serverless', '.esbuild', '.local', 'coverage', 'reports']);

/**
 * Runs `sls package --stage <stage> --package <dir>` and returns the compiled template's path.
 * The framework uses <service>/.serverless (and serverless-esbuild <service>/.esbuild) as scratch
 * folders even with --package, so two runs in one checkout would take each other's files. Each
 * run therefore gets its own service folder: a temporary folder with a copy of serverless.yml
 * and symlinks to the rest of the checkout, whose scratch folders are its own. Stages can then
 * be packaged in parallel, and a packaging run never touches the checkout.
 */
export async function packageStage(stage: string, dir: string, params: Record<string, string> = {}): Promise<string> {
  const serviceDir = mkdtempSync(join(tmpdir(), `pf360-sls-${stage}-`));
  try {
    for (const entry of readdirSync(repoRoot)) {
      if (notLinked.has(entry)) continue;
      // The framework only recognises a real file as the service configuration (lstat).
      if (entry === 'serverless.yml') copyFileSync(join(repoRoot, entry), join(serviceDir, entry));
      else symlinkSync(join(repoRoot, entry), join(serviceDir, entry));
    }
    const cli = join(repoRoot, 'node_modules', 'osls', 'bin', 'serverless.js');
    const paramFlags = Object.entries(params).map(([key, value]) => `--param=${key}=${value}`);
    await run(process.execPath, [cli, 'package', '--stage', stage, '--package', resolve(dir), ...paramFlags], {
      cwd: serviceDir,
      env: offlineEnv(),
      timeout: 180_000,
      maxBuffer: 10 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`sls package --stage ${stage} failed:\n${stdout}${stderr}`, { cause: error });
  } finally {
    rmSync(serviceDir, { recursive: true, force: true });
  }
  return join(dir, 'cloudformation-template-update-stack.json');
}

/** What goes into a package: the sources the bundles, the template and the agents are built from. */
const packageInputs = [
  'serverless.yml',
  'package-lock.json',
  'src',
  'generated',
  'infra',
  'agents',
  'openapi',
  'scripts/serverless',
];

function filesUnder(path: string): string[] {
  const full = join(repoRoot, path);
  if (!existsSync(full)) return [];
  return readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)))
    .sort();
}

/** A hash of the stage, its params and every input file's path and content. */
export function packageKey(stage: string, params: Record<string, string> = {}): string {
  const hash = createHash('sha256').update(JSON.stringify({ stage, params: Object.entries(params).sort() }));
  for (const file of packageInputs.flatMap((path) => (path.includes('.') ? [path] : filesUnder(path)))) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(repoRoot, file)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The stage packaged from the current sources: reused from .local/packages/ when those sources
 * were packaged before, packaged there (and kept) otherwise. Returns the package folder.
 */
export async function packagedStage(stage: string, params: Record<string, string> = {}): Promise<string> {
  const flags = Object.entries(params)
    .map(([key, value]) => `-${key}-${value}`)
    .join('');
  const root = join(repoRoot, '.local', 'packages');
  const dir = join(root, `${stage}${flags}-${packageKey(stage, params)}`);
  if (existsSync(join(dir, 'cloudformation-template-update-stack.json'))) return dir;
  // Packaged beside the final folder and renamed into place: a half-written package is never reused.
  const scratch = `${dir}.${process.pid}.tmp`;
  rmSync(scratch, { recursive: true, force: true });
  await packageStage(stage, scratch, params);
  rmSync(dir, { recursive: true, force: true });
  renameSync(scratch, dir);
  // Packages of older sources for the same stage and params are never reused: drop them.
  for (const entry of readdirSync(root)) {
    if (/^[0-9a-f]{16}$/.test(entry.slice(`${stage}${flags}-`.length)) && entry.startsWith(`${stage}${flags}-`)) {
      if (join(root, entry) !== dir) rmSync(join(root, entry), { recursive: true, force: true });
    }
  }
  return dir;
}

export function packagedVariant(variant: Variant): Promise<string> {
  return packagedStage(variant.stage, variantParams(variant));
}

/**
 * Packages the variants, `concurrency` at a time (packaging is CPU-bound: more runs than cores
 * only slow each other down), and returns their package folders in the same order. Every run
 * finishes (and removes its temporary service folder) before the first failure is reported.
 */
export async function packageVariants(list: Variant[], concurrency = 2): Promise<string[]> {
  const dirs: string[] = new Array(list.length);
  const failures: Error[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < list.length; i = next++) {
      const variant = list[i] as Variant;
      try {
        dirs[i] = await packagedVariant(variant);
      } catch (error) {
        failures.push(new Error(`${variantName(variant)}: ${(error as Error).message}`, { cause: error }));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, list.length)) }, worker));
  if (failures.length > 0) throw failures[0];
  return dirs;
}

// biome-ignore lint/suspicious/noExplicitAny: compiled CloudFormation templates are untyped JSON.
type Template = { Resources: Record<string, any> };

/**
 * A copy of a template with the Gateway in which the target's and the interceptor's Lambda ARNs
 * are literal strings. cfn-lint does not validate a oneOf branch whose subtree holds an
 * intrinsic, so with `!GetAtt` there it lets any tool schema through; with literals it checks the
 * InlinePayload against the Gateway's schema. Returns undefined for a template without a Gateway.
 */
export function withLiteralFunctionArns(template: Template, stage: string): Template | undefined {
  const target = template.Resources.GatewayTarget;
  const gateway = template.Resources.Gateway;
  if (!target || !gateway) return undefined;
  const copy = structuredClone(template);
  const arn = (fn: string) => `arn:aws:lambda:us-east-1:123456789012:function:pf360-agent-${stage}-${fn}`;
  copy.Resources.GatewayTarget.Properties.TargetConfiguration.Mcp.Lambda.LambdaArn = arn('agentcore');
  for (const interceptor of copy.Resources.Gateway.Properties.InterceptorConfigurations ?? []) {
    interceptor.Interceptor.Lambda.Arn = arn('agentcore-interceptor');
  }
  return copy;
}

export interface VariantLint extends LintResult {
  /** The variants with a finding in their template or its literal-ARN copy. */
  failed: string[];
  passed: string[];
}

/**
 * Lints the packaged variants (and the literal-ARN copies of those with a Gateway) in one
 * cfn-lint run, and tells which variants a finding belongs to (cfn-lint names the file of each).
 */
export function lintVariants(packaged: { variant: Variant; dir: string }[]): VariantLint {
  const scratch = mkdtempSync(join(tmpdir(), 'pf360-lint-'));
  try {
    const files = packaged.flatMap(({ variant, dir }) => {
      const templatePath = join(dir, 'cloudformation-template-update-stack.json');
      const literal = withLiteralFunctionArns(JSON.parse(readFileSync(templatePath, 'utf8')), variant.stage);
      if (!literal) return [{ variant, path: templatePath }];
      const copyPath = join(scratch, `${variantName(variant).replace(/[^a-z0-9]+/g, '-')}.literal-arns.json`);
      writeFileSync(copyPath, JSON.stringify(literal, null, 2));
      return [
        { variant, path: templatePath },
        { variant, path: copyPath },
      ];
    });
    const result = lintTemplates(files.map((f) => f.path));
    const failed = new Set(files.filter((f) => result.output.includes(f.path)).map((f) => variantName(f.variant)));
    const names = packaged.map(({ variant }) => variantName(variant));
    return { ...result, failed: names.filter((n) => failed.has(n)), passed: names.filter((n) => !failed.has(n)) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function cfnLintVersion(): string | undefined {
  const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return undefined;
  return probe.stdout.trim();
}

export interface LintResult {
  ok: boolean;
  /** cfn-lint's exit status: a bit mask, 2 errors, 4 warnings, 8 informational. */
  status: number;
  output: string;
}

/** Runs cfn-lint once on all the templates; any finding not in ignoredChecks fails. */
export function lintTemplates(templates: string[]): LintResult {
  const result = spawnSync('cfn-lint', ['--ignore-checks', ...ignoredChecks, '--', ...templates], {
    encoding: 'utf8',
    maxBuffer: 10 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  const status = result.status ?? 1;
  return { ok: status === 0, status, output: `${result.stdout}${result.stderr}`.trim() };
}

async function main(args: string[]): Promise<number> {
  const version = cfnLintVersion();
  if (!version) {
    console.error(installHint);
    return 1;
  }
  if (args.length > 0) {
    const templates = args.map((a) => resolve(a));
    console.log(`${version}: ${templates.length} template(s)`);
    const result = lintTemplates(templates);
    if (result.output) console.log(result.output);
    console.log(result.ok ? 'cfn-lint: no findings' : `cfn-lint: findings (exit status ${result.status})`);
    return result.ok ? 0 : 1;
  }
  console.log(
    `packaging ${variants.length} variants (${variants.map(variantName).join(', ')}), or reusing .local/packages/…`,
  );
  const dirs = await packageVariants(variants);
  console.log(
    `${version}: ${variants.length} templates, and literal-ARN copies of the ${variants.filter((v) => v.gateway).length} with a Gateway`,
  );
  const result = lintVariants(variants.map((variant, i) => ({ variant, dir: dirs[i] as string })));
  if (result.output) console.log(result.output);
  for (const name of result.passed) console.log(`  pass  ${name}`);
  for (const name of result.failed) console.log(`  FAIL  ${name}`);
  if (!result.ok && result.failed.length === 0) console.log('  (a finding names none of the templates)');
  console.log(
    result.ok
      ? `cfn-lint: no findings in ${variants.length} variants`
      : `cfn-lint: findings (exit status ${result.status}) in ${result.failed.length} of ${variants.length} variants: ${result.failed.join('; ')}`,
  );
  return result.ok ? 0 : 1;
}

if (isMainModule(import.meta.url)) {
  const { positionals: templates } = readCommandLine({
    name: 'lint:cfn',
    usage: 'usage: npm run lint:cfn [-- <template.json>...]',
    summary:
      "Runs AWS's CloudFormation linter (cfn-lint) on the given templates; with none, packages every stage on both agent platforms, with and without the AgentCore Gateway, offline into .local/packages/, lints each compiled template and names the variants that fail. Exit 1 on any finding or without cfn-lint.",
    options: {},
    positionals: { min: 0, max: Number.POSITIVE_INFINITY },
  });
  main(templates).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}

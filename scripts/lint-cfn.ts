/**
 * `npm run lint:cfn [-- <template.json>...]`
 * With no arguments: packages every stage (dev, qa, staging, prod) offline, without AWS
 * credentials, and runs AWS's CloudFormation linter, cfn-lint, on each compiled template. With
 * arguments: lints those templates only (e.g. ones already packaged). Exits 1 on any finding, or
 * when cfn-lint is not installed.
 *
 * Packages are kept in .local/packages/, keyed by a hash of everything that goes into them
 * (packagedStage): CI's lint:cfn step and test/packaging then package each stage once per run,
 * and a later run with unchanged sources packages nothing at all.
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
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { readCommandLine } from './lib/cli.js';
import { isMainModule, repoRoot } from './lib/specs.js';

const run = promisify(execFile);

export const stages = ['dev', 'qa', 'staging', 'prod'] as const;
export type Stage = (typeof stages)[number];

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
  const templates = args.map((a) => resolve(a));
  if (args.length === 0) {
    console.log(`packaging ${stages.join(', ')} (or reusing .local/packages/)…`);
    // allSettled: every run removes its temporary service folder before an error is reported.
    const runs = await Promise.allSettled(stages.map((stage) => packagedStage(stage)));
    for (const outcome of runs) {
      if (outcome.status === 'rejected') throw outcome.reason;
      templates.push(join(outcome.value, 'cloudformation-template-update-stack.json'));
    }
  }
  console.log(`${version}: ${templates.length} template(s)`);
  const result = lintTemplates(templates);
  if (result.output) console.log(result.output);
  console.log(result.ok ? 'cfn-lint: no findings' : `cfn-lint: findings (exit status ${result.status})`);
  return result.ok ? 0 : 1;
}

if (isMainModule(import.meta.url)) {
  const { positionals: templates } = readCommandLine({
    name: 'lint:cfn',
    usage: 'usage: npm run lint:cfn [-- <template.json>...]',
    summary:
      "Runs AWS's CloudFormation linter (cfn-lint) on the given templates; with none, packages every stage offline into a temporary folder and lints each compiled template. Exit 1 on any finding or without cfn-lint.",
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

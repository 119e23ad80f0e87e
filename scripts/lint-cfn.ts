/**
 * `npm run lint:cfn [-- <template.json>...]`
 * With no arguments: packages every stage (dev, qa, staging, prod) offline, without AWS
 * credentials, into a temporary folder and runs AWS's CloudFormation linter, cfn-lint, on each
 * compiled template. With arguments: lints those templates only (e.g. ones already packaged).
 * Exits 1 on any finding, or when cfn-lint is not installed.
 *
 * The packaging and linting functions are exported for test/packaging, which packages once and
 * lints the same templates.
 */
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
export async function packageStage(stage: string, dir: string): Promise<string> {
  const serviceDir = mkdtempSync(join(tmpdir(), `pf360-sls-${stage}-`));
  try {
    for (const entry of readdirSync(repoRoot)) {
      if (notLinked.has(entry)) continue;
      // The framework only recognises a real file as the service configuration (lstat).
      if (entry === 'serverless.yml') copyFileSync(join(repoRoot, entry), join(serviceDir, entry));
      else symlinkSync(join(repoRoot, entry), join(serviceDir, entry));
    }
    const cli = join(repoRoot, 'node_modules', 'osls', 'bin', 'serverless.js');
    await run(process.execPath, [cli, 'package', '--stage', stage, '--package', resolve(dir)], {
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
  const scratch = args.length === 0 ? mkdtempSync(join(tmpdir(), 'pf360-lint-cfn-')) : undefined;
  try {
    const templates = args.map((a) => resolve(a));
    if (scratch) {
      console.log(`packaging ${stages.join(', ')}…`);
      // allSettled: every run removes its temporary service folder before an error is reported.
      const runs = await Promise.allSettled(stages.map((stage) => packageStage(stage, join(scratch, stage))));
      for (const outcome of runs) {
        if (outcome.status === 'rejected') throw outcome.reason;
        templates.push(outcome.value);
      }
    }
    console.log(`${version}: ${templates.length} template(s)`);
    const result = lintTemplates(templates);
    if (result.output) console.log(result.output);
    console.log(result.ok ? 'cfn-lint: no findings' : `cfn-lint: findings (exit status ${result.status})`);
    return result.ok ? 0 : 1;
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
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

/**
 * Section 2b of `npm run bench`: cold import. Every sample is a fresh `node` process that
 * requires one bundle, as Lambda's runtime does at an init, with the environment Lambda would
 * give the function. The time is taken inside the child: `performance.now()` after the require
 * counts from the process's time origin (its start), so it covers Node's own bootstrap plus
 * loading and running the bundle's module scope; the require alone is reported as well.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Arm, interleavedOrder, type Summary, summarize } from '../lib/stats.js';
import type { FunctionBundles } from './bundles.js';

/** What the child prints: CommonJS, no dependencies, in a folder with no node_modules above it. */
const probe = `'use strict';
const before = performance.now();
const loaded = require(process.argv[2]);
const after = performance.now();
if (process.argv[3] === 'handler' && typeof loaded.handler !== 'function') throw new Error('no handler export');
const memory = process.memoryUsage();
process.stdout.write(JSON.stringify({ startMs: after, requireMs: after - before, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed }));
`;

interface Sample {
  startMs: number;
  requireMs: number;
  rssBytes: number;
  heapUsedBytes: number;
}

export interface ArmResult {
  /** Process start → bundle loaded, ms. */
  start: Summary;
  /** The require() alone, ms. */
  require: Summary;
  rssBytes: Summary;
  heapUsedBytes: Summary;
}

export interface ColdImportResult {
  fn: string;
  handler: ArmResult;
  baseline: ArmResult;
  runtime: ArmResult;
  /** Bundles that carry the agent: the baseline with the Strands SDK loaded too. */
  framework?: ArmResult;
  /** Median start of the handler over median start of the baseline: the 1.25× target. */
  ratio: number;
  requireRatio: number;
  /** The same against the baseline that also loads what every request uses (fetch, time zones). */
  runtimeRatio: number;
  /** The same against the baseline that also loads the agent SDK: what our own code adds to it. */
  frameworkRatio?: number;
}

/** What Lambda sets besides the function's own variables (fake credentials: nothing is called). */
function lambdaEnvironment(bundles: FunctionBundles, taskRoot: string): Record<string, string> {
  const { fn } = bundles;
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    TZ: ':UTC',
    LAMBDA_TASK_ROOT: taskRoot,
    AWS_REGION: fn.region,
    AWS_DEFAULT_REGION: fn.region,
    AWS_ACCESS_KEY_ID: 'AKIABENCHMARKFAKE',
    AWS_SECRET_ACCESS_KEY: 'bench-fake-secret-access-key',
    AWS_SESSION_TOKEN: 'bench-fake-session-token',
    AWS_LAMBDA_FUNCTION_NAME: fn.deployedName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    // The SDK warns (once, while building its first client) on Node below 22; Lambda runs
    // nodejs22.x, where there is nothing to warn about, so a local Node 20 must not pay for it.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...fn.environment,
  };
}

function startOnce(probePath: string, bundlePath: string, arm: Arm, env: Record<string, string>, cwd: string): Sample {
  const child = spawnSync(process.execPath, [probePath, bundlePath, arm], { env, cwd, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`cold import of ${bundlePath} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as Sample;
}

function armResult(samples: Sample[]): ArmResult {
  return {
    start: summarize(samples.map((s) => s.startMs)),
    require: summarize(samples.map((s) => s.requireMs)),
    rssBytes: summarize(samples.map((s) => s.rssBytes)),
    heapUsedBytes: summarize(samples.map((s) => s.heapUsedBytes)),
  };
}

/**
 * `runs` samples per bundle, interleaved (interleavedOrder), after one unrecorded round that
 * brings every bundle into the page cache.
 */
export function measureColdImport(all: FunctionBundles[], runs: number, workDir: string): ColdImportResult[] {
  const probePath = join(workDir, 'probe.cjs');
  writeFileSync(probePath, probe);
  const samples = new Map(
    all.map((b) => [
      b.fn.name,
      { handler: [] as Sample[], baseline: [] as Sample[], runtime: [] as Sample[], framework: [] as Sample[] },
    ]),
  );
  for (const { item, arm, round } of interleavedOrder(all, runs + 1, ['baseline', 'runtime', 'framework', 'handler'])) {
    const bundle = item[arm];
    if (!bundle) continue;
    const taskRoot = join(bundle.path, '..');
    const sample = startOnce(probePath, bundle.path, arm, lambdaEnvironment(item, taskRoot), taskRoot);
    if (round > 0) samples.get(item.fn.name)?.[arm].push(sample);
  }
  return all.map(({ fn }) => {
    const own = samples.get(fn.name) ?? { handler: [], baseline: [], runtime: [], framework: [] };
    const handler = armResult(own.handler);
    const baseline = armResult(own.baseline);
    const runtime = armResult(own.runtime);
    const framework = own.framework.length > 0 ? armResult(own.framework) : undefined;
    return {
      fn: fn.name,
      handler,
      baseline,
      runtime,
      ratio: handler.start.p50 / baseline.start.p50,
      requireRatio: handler.require.p50 / baseline.require.p50,
      runtimeRatio: handler.start.p50 / runtime.start.p50,
      ...(framework ? { framework, frameworkRatio: handler.start.p50 / framework.start.p50 } : {}),
    };
  });
}

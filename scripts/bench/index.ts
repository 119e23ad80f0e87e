/**
 * `npm run bench`: the performance numbers of the backend, offline and reproducible.
 *
 * 1. Handler overhead: every action-group operation through its real handler with in-memory
 *    adapters, µs per call (p50, p99, mean), with logs off and at INFO; and the DynamoDB, PF360
 *    and weather calls each operation makes, checked against the design's budget of at most one
 *    session read and one session write per action (the exit code fails when it is broken).
 * 2. Bundles: each function bundled as deployed, and the chat with the code agent in-process,
 *    its size, and its cold import (fresh `node` processes, interleaved with an SDK-only
 *    baseline), against the target of at most 1.25× the baseline's time (1.3× with the agent).
 * 3. The agent layer: our own cost per turn of a booking conversation with a scripted model
 *    (agent.ts), beside a bare Strands agent on the same conversation, against 2 ms; and the
 *    first streamed word after the model's first token, against 50 ms.
 *
 * Flags: --iterations N (measured calls per case, default 5000), --warmup N (default 500),
 * --runs N (cold starts per bundle, default 30), --conversations N (agent conversations, default
 * 400), --streams N (streamed answers timed, default 50), --stage S (whose serverless.yml
 * environment the bundles start with, default prod). Markdown on stdout; everything in
 * reports/bench.json; with --write-docs and a passing run, the Markdown also goes to docs/bench.md.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failUsage, integerOption, readCommandLine } from '../lib/cli.js';
import { writeDocsHelp, writeDocsOption, writeDocsPage } from '../lib/docs.js';
import { repoRoot } from '../lib/specs.js';
import { markdownTable } from '../lib/stats.js';
import { stages } from '../lint-cfn.js';
import type { AgentBenchResult } from './agent.js';
import { agentRuntime, type BundleInfo, buildBundles, chatWithAgent, type FunctionBundles } from './bundles.js';
import { type ColdImportResult, measureColdImport } from './cold-import.js';
import type { CallCounts, CaseResult, HandlerBenchOptions } from './handlers.js';
import { readServerlessConfig } from './serverless-config.js';

/** The design's per-action budget of session-store calls (README: "one read and one write per action"). */
const sessionBudget = { reads: 1, writes: 1 };
/** Cold import of a function within this multiple of its SDK-only baseline (the chat carrying the agent: 1.3×). */
const coldImportTarget = 1.25;
const coldImportTargetWithAgent = 1.3;
const coldImportTargetOf = (fn: string) =>
  fn === chatWithAgent || fn === agentRuntime ? coldImportTargetWithAgent : coldImportTarget;
/** Our own work per turn (median µs), and the first streamed word after the model's first token (p99 ms). */
const agentTurnTargetMicros = 2000;
const firstWordTargetMs = 50;

const command = {
  name: 'bench',
  usage:
    'usage: npm run bench -- [--iterations <n>] [--warmup <n>] [--runs <n>] [--conversations <n>] [--streams <n>] [--stage <stage>] [--write-docs]',
  summary:
    "Handler overhead of every operation with in-memory adapters, the calls each makes against the design's budget, bundle sizes and cold imports, the agent layer's own cost per turn and its first streamed word; Markdown on stdout, everything in reports/bench.json. Offline.",
  options: {
    iterations: { type: 'string' },
    warmup: { type: 'string' },
    runs: { type: 'string' },
    conversations: { type: 'string' },
    streams: { type: 'string' },
    stage: { type: 'string' },
    ...writeDocsOption,
  },
  optionHelp: {
    iterations: 'measured calls per case (default 5000)',
    warmup: 'warm-up calls per case (default 500)',
    runs: 'cold starts per bundle (default 30)',
    conversations: 'booking conversations through the agent layer (default 400)',
    streams: 'streamed answers timed for the first word (default 50)',
    stage: 'whose serverless.yml environment the bundles start with (default prod)',
    'write-docs': writeDocsHelp('bench.md'),
  },
} as const;
const { values: flags } = readCommandLine(command);
const settings = {
  iterations: integerOption(command, 'iterations', flags.iterations, 5000, 1, 10_000_000),
  warmup: integerOption(command, 'warmup', flags.warmup, 500, 0, 10_000_000),
  runs: integerOption(command, 'runs', flags.runs, 30, 1, 1000),
  conversations: integerOption(command, 'conversations', flags.conversations, 400, 1, 1_000_000),
  streams: integerOption(command, 'streams', flags.streams, 50, 1, 100_000),
  stage: flags.stage ?? 'prod',
};
if (!(stages as readonly string[]).includes(settings.stage)) {
  failUsage(command, `unknown stage ${settings.stage}; use one of ${stages.join(', ')}`);
}

function machine() {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  return {
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg()[0] ?? 0,
  };
}

const us = (value: number) => value.toFixed(1);
const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`;
const ms = (value: number) => value.toFixed(1);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const caseName = (c: CaseResult) => `${c.operation}${c.variant === 'read' ? '' : ` (${c.variant})`}`;

/** A section in its own process with stdout on /dev/null (worker.ts). */
function runInWorker<T>(args: string[]): Promise<T> {
  const worker = join(dirname(fileURLToPath(import.meta.url)), 'worker.ts');
  // The developer's own logger settings must not change what is measured: the loggers start
  // silent and the benchmark sets their level.
  const inherited = Object.entries(process.env).filter(([key]) => !/^(POWERTOOLS_|AWS_LAMBDA_)/.test(key));
  const child = fork(worker, args, {
    env: { ...Object.fromEntries(inherited), POWERTOOLS_LOG_LEVEL: 'SILENT' },
    stdio: ['ignore', openSync('/dev/null', 'w'), 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let results: T | undefined;
    child.on('message', (message) => {
      results = message as T;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && results) resolve(results);
      else reject(new Error(`the ${args[1]} benchmark failed (exit code ${code})`));
    });
  });
}

function runHandlers(options: HandlerBenchOptions): Promise<CaseResult[]> {
  return runInWorker([
    '--section',
    'handlers',
    '--iterations',
    String(options.iterations),
    '--warmup',
    String(options.warmup),
  ]);
}

function runAgent(conversations: number, streams: number): Promise<AgentBenchResult> {
  const warmup = String(Math.max(10, Math.round(conversations / 10)));
  return runInWorker([
    '--section',
    'agent',
    '--iterations',
    String(conversations),
    '--warmup',
    warmup,
    '--streams',
    String(streams),
  ]);
}

function range(counts: { min: CallCounts; max: CallCounts }, key: keyof CallCounts): string {
  const { min, max } = counts;
  return min[key] === max[key] ? String(max[key]) : `${min[key]}–${max[key]}`;
}

function withinBudget(c: CaseResult): boolean {
  return c.counts.max.sessionReads <= sessionBudget.reads && c.counts.max.sessionWrites <= sessionBudget.writes;
}

function handlerTables(results: CaseResult[]): string {
  const timing = markdownTable(
    ['operation', 'p50 µs', 'p99 µs', 'mean µs', 'p50 µs, INFO', 'p99 µs, INFO', 'mean µs, INFO', 'iterations'],
    results.map((c) => {
      const { SILENT: silent, INFO: info } = c.micros;
      return [
        caseName(c),
        us(silent.p50),
        us(silent.p99),
        us(silent.mean),
        us(info.p50),
        us(info.p99),
        us(info.mean),
        silent.count,
      ];
    }),
  );
  const calls = markdownTable(
    [
      'operation',
      'session reads',
      'session writes',
      'PF360',
      'weather',
      'idempotency',
      'audit',
      'upstream calls',
      'budget',
    ],
    results.map((c) => [
      caseName(c),
      range(c.counts, 'sessionReads'),
      range(c.counts, 'sessionWrites'),
      range(c.counts, 'pf360'),
      range(c.counts, 'weather'),
      range(c.counts, 'idempotency'),
      range(c.counts, 'audit'),
      c.upstreamMethods.join(', ') || '-',
      withinBudget(c) ? 'PASS' : 'FAIL',
    ]),
  );
  return [
    '## 1. Handler overhead (in-memory adapters)',
    '',
    'µs per call of the real handler on a genuine Bedrock event: routing, validation, session read and write,',
    'the operation, the envelope. Logs off (SILENT), and at INFO with stdout on /dev/null; the two levels alternate in',
    'batches within one process, after a warm-up of every case at both.',
    '',
    timing,
    '',
    '### Calls per operation',
    '',
    `Budget: at most ${sessionBudget.reads} session read and ${sessionBudget.writes} session write per action.`,
    "Idempotency and audit are the write path's other DynamoDB tables. In production a new write costs a",
    'conditional put and an update of its idempotency record, a replay the same conditional put (it fails and',
    'returns the stored answer), and every write attempt one audit put.',
    '',
    calls,
  ].join('\n');
}

function bundleTables(bundles: FunctionBundles[]): string {
  const sizes = markdownTable(
    ['function', 'SDK clients', 'bytes', 'gzip bytes', 'baseline bytes', 'baseline gzip bytes'],
    bundles.map((b) => [
      b.fn.name,
      b.sdkClients.map((m) => m.replace('@aws-sdk/', '')).join(', '),
      b.handler.bytes,
      b.handler.gzipBytes,
      b.baseline.bytes,
      b.baseline.gzipBytes,
    ]),
  );
  // The largest sources of any bundle side by side, the rest summed up; with the baseline that
  // has every client, to show what the SDK alone weighs.
  const widest = bundles.reduce((a, b) => (b.sdkClients.length > a.sdkClients.length ? b : a));
  const infos = [...bundles.map((b) => b.handler), widest.baseline];
  const top = [...new Set(bundles.flatMap((b) => b.handler.composition.slice(0, 8).map((c) => c.source)))];
  const bytesOf = (info: BundleInfo, sources: (source: string) => boolean) =>
    info.composition.filter((c) => sources(c.source)).reduce((sum, c) => sum + c.bytes, 0);
  const composition = markdownTable(
    ['source', ...bundles.map((b) => `${b.fn.name} KB`), `baseline (${widest.fn.name}) KB`],
    [
      ...top.map((source) => [source, ...infos.map((info) => kb(bytesOf(info, (s) => s === source)))]),
      ['everything else', ...infos.map((info) => kb(bytesOf(info, (s) => !top.includes(s))))],
    ],
  );
  return [
    '## 2. Bundles',
    '',
    'Built with serverless.yml `custom.esbuild` (as serverless-esbuild deploys them); the baseline of each',
    'function is the same build of an entry that only imports and instantiates its AWS SDK clients.',
    '',
    sizes,
    '',
    '### What the bundles are made of (minified bytes in the output)',
    '',
    composition,
  ].join('\n');
}

function coldImportTable(results: ColdImportResult[], runs: number): string {
  const table = markdownTable(
    [
      'function',
      'start→loaded p50 ms',
      'p90 ms',
      'baseline p50 ms',
      'baseline p90 ms',
      'ratio',
      'baseline + runtime p50 ms',
      'ratio to it',
      'baseline + runtime + Strands p50 ms',
      'ratio to it',
      'require p50 ms',
      'baseline require p50 ms',
      'RSS MB',
      'baseline RSS MB',
      'target',
    ],
    results.map((r) => [
      r.fn,
      ms(r.handler.start.p50),
      ms(r.handler.start.p90),
      ms(r.baseline.start.p50),
      ms(r.baseline.start.p90),
      `${r.ratio.toFixed(2)}×`,
      ms(r.runtime.start.p50),
      `${r.runtimeRatio.toFixed(2)}×`,
      r.framework ? ms(r.framework.start.p50) : '-',
      r.frameworkRatio === undefined ? '-' : `${r.frameworkRatio.toFixed(2)}×`,
      ms(r.handler.require.p50),
      ms(r.baseline.require.p50),
      mb(r.handler.rssBytes.p50),
      mb(r.baseline.rssBytes.p50),
      `${r.ratio <= coldImportTargetOf(r.fn) ? 'PASS' : 'FAIL'} ≤ ${coldImportTargetOf(r.fn)}×`,
    ]),
  );
  return [
    '### Cold import',
    '',
    `${runs} fresh \`node\` processes per bundle, baseline, baseline + runtime and handler interleaved (rotating the order`,
    'every round) after one warm-up round; "baseline + runtime" also loads what every request of the function uses from',
    'Node itself on first use — undici behind fetch and ICU time zones (chat: time zones only) — as the first request would;',
    'for the bundles that carry the agent, "+ Strands" also loads the agent SDK (its Agent and BedrockModel, which bring',
    'its MCP client, zod and ajv) and shows what our own code adds to it;',
    'medians unless noted. "start→loaded" is `performance.now()` in the child right after `require()` (from process',
    'start: Node\'s bootstrap plus the bundle), "require" the `require()` alone, RSS after it (heap used: reports/bench.json).',
    `The target compares start→loaded medians: handler ≤ ${coldImportTargetWithAgent}× baseline for the two bundles that carry the agent`,
    `(${chatWithAgent}: its baseline builds the DynamoDB, Bedrock Agents and Bedrock runtime clients; ${agentRuntime}, the`,
    `AgentCore Runtime server: DynamoDB and Bedrock runtime), ${coldImportTarget}× for the others. Starts are faster when Node's`,
    'background compile and GC threads find a free core, so absolute medians move between runs; the ratio moves much less.',
    '',
    table,
  ].join('\n');
}

function agentTables(agent: AgentBenchResult, conversations: number, streams: number): string {
  const turns = markdownTable(
    [
      'turn',
      'model calls',
      'tools',
      'total p50 µs',
      'operations p50 µs',
      'agent layer p50 µs',
      'bare SDK p50 µs',
      'ours p50 µs',
      'ours p90 µs',
      'ours p99 µs',
      'stored conversation bytes',
      `ours ≤ ${agentTurnTargetMicros} µs`,
    ],
    agent.turns.map((t) => [
      t.turn,
      t.modelCalls,
      t.toolCalls,
      us(t.micros.total.p50),
      us(t.micros.operations.p50),
      us(t.micros.layer.p50),
      us(t.micros.baseline.p50),
      us(t.micros.ours.p50),
      us(t.micros.ours.p90),
      us(t.micros.ours.p99),
      t.snapshotBytes,
      t.micros.ours.p50 <= agentTurnTargetMicros ? 'PASS' : 'FAIL',
    ]),
  );
  const first = agent.firstWordMs;
  return [
    '## 3. The agent layer (scripted model)',
    '',
    `${conversations} booking conversations through the chat service and the code-defined agent, every store in memory, the`,
    'operations the real handlers (their time, taken inside the tool invoker, is subtracted: section 1 measures it). The',
    '"agent layer" is the rest: session, stored conversation, confirmation hook and dry run, tools\' glue and the Strands',
    'loop. "Bare SDK" is the same conversation on a bare Strands agent in the same run, interleaved (the same instructions,',
    'tool specs, model turns and tool results; one agent in memory, no session, no snapshot, no hook; its write turn runs',
    'the booking at once and is split over the pair). "Ours" is the agent layer less the bare SDK, pairwise: what this',
    `project adds per turn. Target: ours ≤ ${agentTurnTargetMicros} µs (median).`,
    '',
    turns,
    '',
    '### First streamed word',
    '',
    `${streams} answers streamed by a chat-completions server on loopback through the OpenAI model, the agent and`,
    '/chat/stream on a real HTTP server, read by a client in the same process: from the model server sending its first',
    `token to the client holding the first delta event. Target: p99 ≤ ${firstWordTargetMs} ms.`,
    '',
    markdownTable(
      ['p50 ms', 'p90 ms', 'p99 ms', 'max ms', `≤ ${firstWordTargetMs} ms`],
      [
        [
          first.p50.toFixed(2),
          first.p90.toFixed(2),
          first.p99.toFixed(2),
          first.max.toFixed(2),
          first.p99 <= firstWordTargetMs ? 'PASS' : 'FAIL',
        ],
      ],
    ),
  ].join('\n');
}

function spread(values: number[], format: (value: number) => string): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? format(low) : `${format(low)}–${format(high)}`;
}

/** What the run prints after its title, kept for docs/bench.md. */
const markdown: string[] = [];
function print(text: string): void {
  console.log(text);
  markdown.push(text);
}

async function main(): Promise<number> {
  const host = machine();
  const serverless = readServerlessConfig(settings.stage);
  console.log(`# npm run bench — ${new Date().toISOString()}\n`);
  print(
    `Machine: ${host.cpu}, ${host.cores} cores, Node ${host.node} (${host.platform}), load average ${host.loadAverageAtStart.toFixed(2)} at start.`,
  );
  print(
    `Settings: ${settings.iterations} measured calls per case after ${settings.warmup} warm-up calls; ${settings.runs} cold starts per bundle; bundles start with the ${settings.stage} environment; ${settings.conversations} agent conversations; ${settings.streams} streamed answers.\n`,
  );

  const handlers = await runHandlers({ iterations: settings.iterations, warmup: settings.warmup });
  print(`${handlerTables(handlers)}\n`);

  const workDir = mkdtempSync(join(tmpdir(), 'pf360-bench-'));
  try {
    // A bundle must load on its own, as in the Lambda zip: no node_modules anywhere above it.
    for (let dir = workDir; dir !== dirname(dir); dir = dirname(dir)) {
      if (existsSync(join(dir, 'node_modules')))
        throw new Error(`${dir}/node_modules would let bundles resolve packages`);
    }
    const bundles = await buildBundles(serverless, workDir);
    print(`${bundleTables(bundles)}\n`);
    const coldImport = measureColdImport(bundles, settings.runs, workDir);
    print(`${coldImportTable(coldImport, settings.runs)}\n`);
    const agent = await runAgent(settings.conversations, settings.streams);
    print(`${agentTables(agent, settings.conversations, settings.streams)}\n`);

    const budgetPassed = handlers.filter(withinBudget).length;
    const targetPassed = coldImport.filter((r) => r.ratio <= coldImportTargetOf(r.fn)).length;
    const worstOurs = Math.max(...agent.turns.map((t) => t.micros.ours.p50));
    const worstLayer = Math.max(...agent.turns.map((t) => t.micros.layer.p50));
    const silent = handlers.map((c) => c.micros.SILENT);
    const p50s = spread(
      silent.map((m) => m.p50),
      us,
    );
    const worstP99 = us(Math.max(...silent.map((m) => m.p99)));
    const logging = spread(
      handlers.map((c) => c.micros.INFO.p50 - c.micros.SILENT.p50),
      signed,
    );
    const ratios = spread(
      coldImport.map((r) => r.ratio),
      (r) => `${r.toFixed(2)}×`,
    );
    const runtimeRatios = spread(
      coldImport.map((r) => r.runtimeRatio),
      (r) => `${r.toFixed(2)}×`,
    );
    const sizes = spread(
      bundles.map((b) => b.handler.bytes),
      kb,
    );
    const gzipSizes = spread(
      bundles.map((b) => b.handler.gzipBytes),
      kb,
    );
    const verdict = (passed: number, of: number) => `${passed === of ? 'PASS' : 'FAIL'} ${passed}/${of}`;
    const summary = [
      `handler p50 ${p50s} µs, p99 ≤ ${worstP99} µs`,
      `INFO logging ${logging} µs p50`,
      `session budget ${verdict(budgetPassed, handlers.length)}`,
      `cold import ≤ ${coldImportTarget}× baseline (${coldImportTargetWithAgent}× with the agent) ${verdict(targetPassed, coldImport.length)} (${ratios}; ${runtimeRatios} of the baseline that also loads fetch and time zones)`,
      `agent layer's own work per turn ≤ ${us(worstOurs)} µs p50 beyond the bare SDK (${us(worstLayer)} µs with it): ${worstOurs <= agentTurnTargetMicros ? 'PASS' : 'FAIL'} ≤ ${agentTurnTargetMicros} µs`,
      `first streamed word ${agent.firstWordMs.p99.toFixed(1)} ms p99 after the model's first token: ${agent.firstWordMs.p99 <= firstWordTargetMs ? 'PASS' : 'FAIL'} ≤ ${firstWordTargetMs} ms`,
      `bundles ${sizes} KB (${gzipSizes} KB gzip)`,
    ].join('; ');
    const loadAtEnd = loadavg()[0] ?? 0;
    print(`Summary: ${summary}. (Load average ${loadAtEnd.toFixed(2)} at the end.)`);

    mkdirSync(join(repoRoot, 'reports'), { recursive: true });
    const report = {
      date: new Date().toISOString(),
      machine: { ...host, loadAverageAtEnd: loadAtEnd },
      settings,
      targets: {
        sessionBudget,
        coldImportRatio: coldImportTarget,
        coldImportRatioWithAgent: coldImportTargetWithAgent,
        agentTurnOwnMicros: agentTurnTargetMicros,
        firstWordMs: firstWordTargetMs,
      },
      handlers,
      esbuild: serverless.esbuild,
      bundles: bundles.map(({ fn, sdkClients, handler, baseline }) => ({
        function: fn.name,
        entry: fn.entry,
        sdkClients,
        handler: { bytes: handler.bytes, gzipBytes: handler.gzipBytes, composition: handler.composition },
        baseline: { bytes: baseline.bytes, gzipBytes: baseline.gzipBytes, composition: baseline.composition },
      })),
      coldImport,
      agent,
      summary,
    };
    writeFileSync(join(repoRoot, 'reports', 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
    // Only the budget fails the command: it is a count, the same on every machine. Times are
    // reported against their targets but do not decide the exit code.
    const passed = budgetPassed === handlers.length;
    if (flags['write-docs']) {
      if (passed) {
        const commandLine = `npm run bench -- --iterations ${settings.iterations} --warmup ${settings.warmup} --runs ${settings.runs} --conversations ${settings.conversations} --streams ${settings.streams} --stage ${settings.stage} --write-docs`;
        console.log(
          `\nwrote ${writeDocsPage('bench.md', 'Handler overhead, bundles and cold starts', commandLine, markdown.join('\n'))}`,
        );
      } else {
        console.log('\ndocs/bench.md left as it was: the session budget failed');
      }
    }
    return passed ? 0 : 1;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();

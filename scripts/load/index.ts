/**
 * `npm run load -- [--users <n>] [--duration <s>] [--think-ms <ms>] [--warmup <s>]`
 *
 * Starts its own local stack (DynamoDB Local, Prism for PF360 and weather) and local gateway on
 * 127.0.0.1 — nothing leaves the machine — and measures two passes:
 *   1. `n` virtual customers, each conversation with its own session, run the whole
 *      conversation (list → dates → slots → confirm, then status and a note) through the
 *      gateway, pausing a random 0.5-1.5 × think time between steps;
 *   2. the same conversations making exactly the DynamoDB and Prism calls the handlers make,
 *      directly (scripts/load/raw.ts).
 * The passes are interleaved conversation by conversation (scripts/load/client.ts, a separate
 * process like real callers) so both see the same conditions, after a warm-up.
 * It prints per step p50/p95/p99, throughput and errors of pass 1, the handler's own time (from
 * the gateway's Server-Timing), the raw I/O time of pass 2, and the handler's added latency at
 * p95 as a share of the raw I/O. Bounded: at most 500 users and 600 s per pass; exits non-zero
 * on any error. With --write-docs and no error, the report also goes to docs/load.md.
 */
// The committed examples with their fixed dates, replayed on their own calendar.
import '../lib/examples-clock.mjs';
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createDocumentClient } from '../../src/adapters/dynamodb/client.js';
import { DynamoDbSessionStore } from '../../src/adapters/dynamodb/session-store.js';
import { integerOption, readCommandLine } from '../lib/cli.js';
import { machineLine, writeDocsHelp, writeDocsOption, writeDocsPage } from '../lib/docs.js';
import { formatMs, markdownTable, percentile } from '../lib/stats.js';
import { createGateway } from '../local/gateway.js';
import { createLocalActionHandlers } from '../local/handlers.js';
import { startStack } from '../local/stack.js';
import { localTables } from '../local/tables.js';
import type { ClientConfig, ClientResult } from './client.js';
import { steps } from './conversation.js';

const command = {
  name: 'load',
  usage:
    'usage: npm run load -- [--users <1-500>] [--duration <s, 1-600>] [--think-ms <ms>] [--warmup <s>] [--write-docs]',
  summary:
    "Starts its own local stack and gateway on 127.0.0.1 and runs virtual customers through the gateway, interleaved with the same DynamoDB and Prism calls made directly; prints per-step latency, throughput, errors and the handlers' added latency. Exit 1 on any error.",
  options: {
    users: { type: 'string' },
    duration: { type: 'string' },
    'think-ms': { type: 'string' },
    warmup: { type: 'string' },
    ...writeDocsOption,
  },
  optionHelp: {
    users: 'virtual customers, each with its own session (default 10)',
    duration: 'seconds per pass (default 30)',
    'think-ms': 'pause between steps, 0.5-1.5 × this (default 1000)',
    warmup: 'seconds of warm-up before each pass (default 5)',
    'write-docs': writeDocsHelp('load.md'),
  },
} as const;
const { values: flags } = readCommandLine(command);
const users = integerOption(command, 'users', flags.users, 10, 1, 500);
const durationS = integerOption(command, 'duration', flags.duration, 30, 1, 600);
const thinkMs = integerOption(command, 'think-ms', flags['think-ms'], 1000, 0, 60_000);
const warmupS = integerOption(command, 'warmup', flags.warmup, 5, 0, 60);

// Only warnings and errors from the handlers: an INFO line per call would measure the terminal.
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
/** Everything the run reports, kept for docs/load.md. */
const report: string[] = [];
const say = (text: string) => {
  process.stdout.write(`${text}\n`);
  report.push(text);
};

const { env: tables, byLogicalId: tableIds } = localTables('load');
const stack = await startStack({
  tables: tableIds,
  // On the spec examples' calendar (imported above): DynamoDB Local, on the real clock, must not sweep.
  timeToLive: false,
  logDir: mkdtempSync(join(tmpdir(), 'pf360-load-')),
});
// The handlers read their settings from the environment, exactly as on Lambda.
Object.assign(process.env, stack.env, tables, {
  STAGE: 'local',
  ENABLE_REAL_CONFIRM: 'true',
  ENABLE_REAL_CANCEL: 'true',
});
const gateway = createGateway({
  actions: createLocalActionHandlers(),
  sessions: new DynamoDbSessionStore(createDocumentClient(), tables.SESSIONS_TABLE, 1800),
  stage: 'local',
});
await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;

/** Runs the load generator in a child process and collects its samples. */
function runClient(config: ClientConfig): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./client.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      env: process.env,
    });
    child.once('message', (result) => resolve(result as ClientResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load client exited with ${code}`));
    });
    child.send(config);
  });
}

try {
  say(
    `load: ${users} customers, ${durationS} s per pass after ${warmupS} s of warm-up each, think time ${thinkMs} ms (0.5-1.5x), loopback only`,
  );
  say(`${machineLine()}\n`);
  // How long the handlers' event loop was blocked: our own CPU shows up here, I/O waits do not.
  const resolutionMs = 10;
  const loopDelay = monitorEventLoopDelay({ resolution: resolutionMs });
  loopDelay.enable();
  const { viaGateway, raw } = await runClient({
    base,
    raw: {
      pf360: stack.env.PF360_BASE_URL ?? '',
      weather: stack.env.WEATHER_BASE_URL ?? '',
      tables: { sessions: tables.SESSIONS_TABLE, idempotency: tables.IDEMPOTENCY_TABLE, audit: tables.AUDIT_TABLE },
    },
    users,
    durationS,
    thinkMs,
    warmupS,
  });

  const rows: (string | number)[][] = [];
  let errors = 0;
  let worstShare = 0;
  for (const name of steps) {
    const mine = viaGateway.samples.filter((s) => s.step === name);
    const direct = raw.samples.filter((s) => s.step === name && s.ok);
    const failed = mine.filter((s) => !s.ok).length;
    errors += failed;
    const ms = mine.filter((s) => s.ok).map((s) => s.ms);
    const handler = mine.filter((s) => s.ok && s.handlerMs !== undefined).map((s) => s.handlerMs as number);
    const rawMs = direct.map((s) => s.ms);
    const handlerP95 = percentile(handler, 95);
    const rawP95 = percentile(rawMs, 95);
    const share = handler.length && rawMs.length ? (handlerP95 - rawP95) / rawP95 : Number.NaN;
    if (!Number.isNaN(share)) worstShare = Math.max(worstShare, share);
    rows.push([
      name,
      mine.length,
      formatMs(percentile(ms, 50)),
      formatMs(percentile(ms, 95)),
      formatMs(percentile(ms, 99)),
      handler.length ? formatMs(percentile(handler, 50)) : '–',
      handler.length ? formatMs(handlerP95) : '–',
      formatMs(percentile(rawMs, 50)),
      formatMs(rawP95),
      Number.isNaN(share) ? '–' : `${(share * 100).toFixed(0)} %`,
      `${((failed / Math.max(1, mine.length)) * 100).toFixed(2)} %`,
    ]);
  }
  say(
    markdownTable(
      [
        'step',
        'calls',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'handler p50',
        'handler p95',
        'raw I/O p50',
        'raw I/O p95',
        'added at p95',
        'errors',
      ],
      rows,
    ),
  );
  const total = viaGateway.samples.length;
  say(
    `\nthroughput: ${(total / viaGateway.seconds).toFixed(1)} requests/s through the gateway (${total} in ${viaGateway.seconds.toFixed(0)} s), ${(raw.samples.length / raw.seconds).toFixed(1)} raw steps/s`,
  );
  loopDelay.disable();
  const lag = (p: number) => Math.max(0, loopDelay.percentile(p) / 1e6 - resolutionMs).toFixed(1);
  say(
    `handlers' event loop blocked (beyond its ${resolutionMs} ms sampling interval): p50 ${lag(50)} ms, p99 ${lag(99)} ms, max ${Math.max(0, loopDelay.max / 1e6 - resolutionMs).toFixed(0)} ms; load average ${(loadavg()[0] ?? 0).toFixed(2)} on ${cpus().length} cores`,
  );
  say(
    `errors: ${errors} of ${total} (${((errors / Math.max(1, total)) * 100).toFixed(2)} %); raw pass errors: ${raw.samples.filter((s) => !s.ok).length}`,
  );
  say(
    `targets: 0 errors ${errors === 0 ? 'PASS' : 'FAIL'}; handler added latency at p95 within 20 % of the raw I/O ${worstShare <= 0.2 ? 'PASS' : 'FAIL'} (worst ${(worstShare * 100).toFixed(0)} %)`,
  );
  process.exitCode = errors === 0 ? 0 : 1;
} finally {
  gateway.close();
  await stack.stop();
}

if (flags['write-docs']) {
  if (process.exitCode === 0) {
    const commandLine = `npm run load -- --users ${users} --duration ${durationS} --think-ms ${thinkMs} --warmup ${warmupS} --write-docs`;
    const page = [
      `Run with ${users} virtual customers, ${durationS} s per pass after ${warmupS} s of warm-up, think time ${thinkMs} ms`,
      '(each pause a random 0.5-1.5 × that). Each conversation, with its own session, runs list → dates → slots → confirm →',
      'status → note through the local gateway; interleaved conversation by conversation with the same calls made directly',
      'against DynamoDB Local and Prism ("raw I/O"), from a separate process. "handler" is the time inside the handler (the',
      'gateway\'s Server-Timing), so "added at p95" is (handler p95 − raw p95) / raw p95. Everything runs on 127.0.0.1 on',
      'the same machine: DynamoDB Local (Java), the two Prism servers, the gateway and the load client.',
      '',
      // Each line the run printed is a paragraph of its own on the page.
      report.map((text) => text.trim()).join('\n\n'),
    ].join('\n');
    say(`wrote ${writeDocsPage('load.md', 'Load through the local gateway', commandLine, page)}`);
  } else {
    say('docs/load.md left as it was: the run had errors');
  }
}

/**
 * `npm run eval`: the golden conversations of test/evals/cases/ through the chat API, scored.
 *
 * - On the local stack (default): the script starts its own DynamoDB Local and Prism on free
 *   ports, runs the chat handler with the code-defined agent in-process and the configured model
 *   (AGENT_PROVIDER, as `npm start`), each case's world made by the fault-injecting proxies in
 *   front of Prism, on the spec examples' calendar (today is Sunday 2026-11-29).
 *   `--record <dir>` stores the model's turns per case; `--replay <dir>` plays stored turns
 *   back instead of asking a model (what `npm test` does with test/evals/recordings/).
 * - `--platform classic --stage S`: the same cases through a deployed Bedrock Agents supervisor
 *   (InvokeAgent with traces), read from the stage's chat function, on a stage that answers from
 *   the spec examples; the cases' dates move with the stage's calendar.
 *
 * Prints the per-case table and the aggregates on stdout, progress on stderr, writes the JSON
 * report, and exits 1 when an aggregate misses its threshold (2 on a bad command line).
 */
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { failUsage, integerOption, readCommandLine } from '../lib/cli.js';
import { writeDocsHelp, writeDocsOption } from '../lib/docs.js';
import { repoRoot } from '../lib/specs.js';

const command = {
  name: 'eval',
  usage:
    'usage: npm run eval -- [--cases <ids,globs>] [--record <dir> | --replay <dir>] [--concurrency <n>] [--platform local|classic --stage <stage> [--region <region>]] [--report <file>] [--list] [--write-docs]',
  summary:
    "Runs the golden conversations of test/evals/cases/ through the chat API and scores them: tool selection, arguments, trajectory, confirmation compliance, refusals. Local (default): its own stack, the code-defined agent and the configured model (AGENT_PROVIDER), or --replay of recorded model turns. Classic: a deployed stage's Bedrock Agents supervisor. Exit 1 when an aggregate misses its threshold.",
  options: {
    cases: { type: 'string' },
    platform: { type: 'string' },
    stage: { type: 'string' },
    region: { type: 'string' },
    record: { type: 'string' },
    replay: { type: 'string' },
    report: { type: 'string' },
    concurrency: { type: 'string' },
    list: { type: 'boolean' },
    ...writeDocsOption,
  },
  optionHelp: {
    cases: 'only these cases: ids or globs, comma-separated (e.g. book-*,cancel-flooring)',
    platform:
      'local (the code-defined agent on the local stack) or classic (a deployed Bedrock Agents stage) (default local)',
    stage: 'the deployed stage for --platform classic (dev, qa, staging, prod)',
    region: 'its AWS region (default AWS_REGION, AWS_DEFAULT_REGION or us-east-1)',
    record: "store each case's model turns in <dir>/<case>.json (ScriptedTurn format), for --replay",
    replay: 'replay the model turns stored in <dir> instead of asking a model (local only)',
    report: 'where the JSON report goes (default reports/evals.json)',
    concurrency: 'cases run side by side on the local stack, 1-4 (default 1: models have rate limits)',
    list: 'print the cases (id, category, title) and exit',
    'write-docs': `${writeDocsHelp('evals.md')}; a live model's run only`,
  },
} as const;

const { values: flags } = readCommandLine(command);
const platform = flags.platform ?? 'local';
if (platform !== 'local' && platform !== 'classic')
  failUsage(command, `--platform must be local or classic, got "${platform}"`);
if (platform === 'classic' && !flags.stage) failUsage(command, '--platform classic needs --stage <stage>');
if (platform === 'local' && (flags.stage || flags.region))
  failUsage(command, '--stage and --region are for --platform classic');
if (platform === 'classic' && (flags.record || flags.replay)) {
  failUsage(
    command,
    "--record and --replay are for the local platform: a Classic agent's model turns are not ours to replay",
  );
}
if (flags.record && flags.replay) failUsage(command, '--record and --replay do not go together');
if (flags.replay && flags['write-docs']) {
  failUsage(command, "--write-docs records a live model's scores; a replay measures the recording, not a model");
}
const concurrency = integerOption(command, 'concurrency', flags.concurrency, 1, 1, 4);
if (platform === 'classic' && concurrency !== 1) failUsage(command, '--concurrency is for the local platform');

// The local stack serves the committed examples with their fixed dates: run on their calendar,
// before anything else reads the clock (Classic runs on the real one).
if (platform === 'local') await import('../lib/examples-clock.mjs');

const { CaseError, loadCases, onCalendar, selectCases } = await import('./cases.js');
const { needsLocalWorld } = await import('./world.js');

let selected: ReturnType<typeof loadCases>;
try {
  selected = selectCases(loadCases(), flags.cases);
} catch (error) {
  if (error instanceof CaseError) failUsage(command, error.message);
  throw error;
}
if (flags.list) {
  for (const c of selected) process.stdout.write(`${c.id.padEnd(34)} ${c.category.padEnd(16)} ${c.title}\n`);
  process.exit(0);
}

const { recordedCases, RecordingError, replayModels, writeRecording } = await import('./recordings.js');
const replayDir = flags.replay ? resolve(flags.replay) : undefined;
if (replayDir) {
  let have: string[];
  try {
    have = recordedCases(replayDir);
  } catch (error) {
    if (error instanceof RecordingError) failUsage(command, error.message);
    throw error;
  }
  const missing = selected.filter((c) => !have.includes(c.id)).map((c) => c.id);
  if (flags.cases && missing.length > 0)
    failUsage(command, `${flags.replay} has no recording of ${missing.join(', ')}`);
  selected = selected.filter((c) => have.includes(c.id));
  if (selected.length === 0) failUsage(command, `${flags.replay} has no recording of any case`);
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const { ConfigError } = await import('../../src/config/env.js');
const { defaultBedrockModelId, loadCodeAgentConfig } = await import('../../src/agent/config.js');
const { createModel } = await import('../../src/agent/models.js');

/** No silent fallback: a live run without a model says what to set (the same variables as `npm start`). */
const noModelMessage = `no model is configured. Set AGENT_PROVIDER=bedrock with AWS_REGION and AWS credentials (AGENT_MODEL_ID optional, default ${defaultBedrockModelId}), or AGENT_PROVIDER=openai with OPENAI_BASE_URL and AGENT_MODEL_ID for an OpenAI-compatible chat-completions server such as a local LLM server (OPENAI_API_KEY if it needs one). Or replay recorded turns with --replay test/evals/recordings/good, or evaluate a deployed Classic agent with --platform classic --stage <stage>.`;

// A turn's deadline (and the model's own request timeout) suited to a slow local model: the
// evaluation measures what the model does, not how fast; AGENT_TIMEOUT_MS still overrides it.
process.env.AGENT_TIMEOUT_MS ??= '120000';

let modelName = '';
let liveModel: ReturnType<typeof createModel> | undefined;
let usesAwsModel = false;
if (platform === 'local' && !replayDir) {
  try {
    const config = loadCodeAgentConfig(process.env);
    if (!config) failUsage(command, noModelMessage);
    liveModel = createModel(config);
    modelName = `${config.model.provider} ${config.model.modelId}`;
    usesAwsModel = config.model.provider === 'bedrock';
  } catch (error) {
    if (error instanceof ConfigError) failUsage(command, error.message);
    throw error;
  }
}

const { aggregate, metricLabels, verdicts } = await import('./score.js');
const { aggregatesTable, casesTable, docsMarkdown, jsonReport } = await import('./report.js');
const { machineLine, writeDocsPage } = await import('../lib/docs.js');

// The chat handlers log JSON to stdout: keep stdout for the tables, their logs go to a file.
const out = process.stdout.write.bind(process.stdout);
const logDir = mkdtempSync(join(tmpdir(), 'pf360-eval-'));
const handlerLog = createWriteStream(join(logDir, 'handlers.log'));
process.stdout.write = ((chunk: string | Uint8Array) => handlerLog.write(chunk)) as typeof process.stdout.write;
// Their warnings and errors go to stderr: those join the file too, and stderr keeps the progress.
const err = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  if (text.startsWith('{"level"')) return handlerLog.write(chunk);
  return (err as (...args: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stderr.write;
const progress = (line: string) => err(`${line}\n`);

const startedAt = new Date().toISOString();
const skipped: { id: string; why: string }[] = [];
let runs: import('./run.js').EvalRun[] = [];
let subject = modelName;

if (platform === 'local') {
  const { startStack } = await import('../local/stack.js');
  const { localTables } = await import('../local/tables.js');
  const { runLocalCases } = await import('./local.js');
  const { env: tables, byLogicalId } = localTables('eval');
  progress(`starting the local stack (DynamoDB Local, Prism) for ${selected.length} case(s)…`);
  const stack = await startStack({ tables: byLogicalId, timeToLive: false, logDir });
  // The handlers read credentials and region from the environment, exactly as on Lambda. With
  // Bedrock as the model the caller's AWS credentials and region stay (as `npm start` keeps
  // them): Bedrock needs them, and DynamoDB Local accepts any.
  const { AWS_ACCESS_KEY_ID: _key, AWS_SECRET_ACCESS_KEY: _secret, AWS_REGION: _region, ...endpoints } = stack.env;
  Object.assign(process.env, usesAwsModel ? endpoints : stack.env, tables);
  subject = replayDir ? `replay of ${relative(repoRoot, replayDir) || replayDir}` : modelName;
  const model = liveModel;
  try {
    runs = await runLocalCases(selected, {
      env: { ...process.env },
      mode: replayDir ? 'replay' : 'live',
      modelFor: replayDir ? replayModels(replayDir) : () => model as NonNullable<typeof model>,
      concurrency,
      progress,
      onFinished: (run) => {
        if (flags.record && run.recorded) {
          writeRecording(resolve(flags.record), {
            case: run.case.id,
            source: 'recorded',
            model: modelName,
            recorded_at: new Date().toISOString(),
            turns: run.recorded,
          });
        }
      },
    });
  } finally {
    await stack.stop();
  }
} else {
  const { LambdaClient } = await import('@aws-sdk/client-lambda');
  const { resolveClassicStage, StageError, openClassicLane } = await import('./classic.js');
  const { createAgentClient } = await import('../../src/chat/wiring.js');
  const { dateIn } = await import('../../src/domain/time.js');
  const { shiftToTomorrow } = await import('../../src/domain/example-dates.js');
  const { pf360Examples } = await import('../../generated/catalog/pf360-examples.js');
  const stageName = flags.stage as string;
  const region = flags.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  let stage: Awaited<ReturnType<typeof resolveClassicStage>>;
  try {
    stage = await resolveClassicStage(stageName, region, new LambdaClient({ region }));
  } catch (error) {
    if (error instanceof StageError) failUsage(command, error.message);
    throw error;
  }
  if (!stage.mock) {
    failUsage(
      command,
      `stage ${stageName} calls the real PF360: the cases are about the spec examples' demo customer, projects and dates, so run them on a stage that answers from the examples (USE_MOCK_API=true, e.g. dev).`,
    );
  }
  const firstOpen = Object.values(pf360Examples.getReschedulerSlots['200'])[0]?.data.dates[0] as string;
  const days = shiftToTomorrow(firstOpen, dateIn(new Date(), stage.defaultTimeZone));
  const runnable = selected.filter((c) => {
    if (!needsLocalWorld(c.world)) return true;
    skipped.push({ id: c.id, why: "its world (faults, another customer) is made by the local stack's proxy" });
    return false;
  });
  subject = `Classic supervisor ${stage.agentId}/${stage.agentAliasId} (stage ${stageName})`;
  progress(
    `${runnable.length} case(s) on stage ${stageName} (${skipped.length} need the local stack's world), dates moved by ${days} days`,
  );
  const { runCases } = await import('./run.js');
  const lane = openClassicLane(stage, { env: process.env, agentClient: createAgentClient(region) });
  runs = await runCases(
    runnable.map((c) => onCalendar(c, days)),
    [lane],
    (l, c) => l.run(c),
    progress,
  );
}
await new Promise((done) => handlerLog.end(done));

const aggregates = aggregate(runs.map((r) => r.score));
const judged = verdicts(aggregates);
const passed = judged.every((v) => !v.missed);
const info = {
  platform: platform as 'local' | 'classic',
  subject,
  startedAt,
  finishedAt: new Date().toISOString(),
  commandLine: `npm run eval -- ${process.argv.slice(2).join(' ')}`.trim(),
  skipped,
};
const reportFile = resolve(flags.report ?? join(repoRoot, 'reports', 'evals.json'));
mkdirSync(dirname(reportFile), { recursive: true });
writeFileSync(reportFile, `${JSON.stringify(jsonReport(info, runs, aggregates, judged), null, 2)}\n`);

out(`${casesTable(runs)}\n\n${aggregatesTable(aggregates, judged)}\n\n`);
const passedCases = runs.filter((r) => r.score.passed).length;
const shownPercent = (share: number | null | undefined) => `${((share ?? 0) * 100).toFixed(1)} %`;
out(
  `${subject}: ${passedCases} of ${runs.length} cases passed${skipped.length ? `, ${skipped.length} skipped` : ''}; ${
    passed
      ? 'every aggregate meets its threshold'
      : `missed: ${judged
          .filter((v) => v.missed)
          .map((v) => `${metricLabels[v.metric]} ${shownPercent(v.value)} < ${shownPercent(v.threshold)}`)
          .join('; ')}`
  }. Report: ${reportFile.startsWith(`${repoRoot}/`) ? relative(repoRoot, reportFile) : reportFile}; chat logs: ${logDir}.\n`,
);
if (flags['write-docs']) {
  if (passed) {
    const page = docsMarkdown(info, runs, aggregates, judged, machineLine());
    out(`wrote ${writeDocsPage('evals.md', 'Assistant evaluation', info.commandLine, page)}\n`);
  } else {
    out('docs/evals.md left as it was: an aggregate missed its threshold\n');
  }
}
process.exit(passed ? 0 : 1);

/**
 * `npm run eval` as a user runs it: the command line refused with a sentence (exit 2), no silent
 * fallback when no model is configured, and a live run against a configured model — here an
 * OpenAI-compatible server on 127.0.0.1 answering what a model would — with its own local stack:
 * progress on stderr, the tables on stdout, the JSON report, the model's turns recorded, exit 1
 * when an aggregate misses its threshold; then the recording replayed (exit 0).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecording } from '../../scripts/eval/recordings.js';
import { repoRoot } from '../../scripts/lib/specs.js';
import type { ScriptedTurn } from '../../src/agent/scripted-model.js';
import { type FakeOpenAi, type FakeReply, replies, startFakeOpenAi } from '../helpers/fake-openai.js';
import { runScript } from '../helpers/run-script.js';

const runEval = (args: string[], env: NodeJS.ProcessEnv, timeoutMs = 150_000) =>
  runScript('scripts/eval/index.ts', args, { env, timeoutMs });

/** The environment without any model settings (the test run's own stack settings stay: the script replaces them). */
function withoutModel(): Record<string, string | undefined> {
  const env = { ...process.env };
  for (const name of ['AGENT_PROVIDER', 'AGENT_MODEL_ID', 'OPENAI_BASE_URL', 'OPENAI_API_KEY', 'AGENT_ID'])
    delete env[name];
  return env;
}

/** A model turn as an OpenAI-compatible server streams it. */
function asReply(turn: ScriptedTurn, n: number): FakeReply {
  if ('error' in turn) throw new Error('no failures in these turns');
  const text = Array.isArray(turn.text) ? turn.text.join('') : turn.text;
  if (!turn.toolCalls?.length) return replies.sseText(text ?? '');
  return replies.sseToolCalls(
    turn.toolCalls.map((call, i) => ({ id: `call_${n}_${i}`, name: call.name, arguments: call.input })),
    text ? { text } : {},
  );
}

describe('npm run eval: the command line', () => {
  it('refuses a live run without a model, naming the variables to set (exit 2)', async () => {
    const run = await runEval(['--cases', 'smalltalk-hello'], withoutModel());
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^eval: no model is configured\. Set AGENT_PROVIDER=bedrock with AWS_REGION/);
    for (const name of ['AGENT_PROVIDER=openai', 'OPENAI_BASE_URL', 'AGENT_MODEL_ID', '--replay', '--platform classic'])
      expect(run.stderr).toContain(name);
  });

  it('refuses what it cannot run, in a sentence and the usage (exit 2)', async () => {
    const runs = await Promise.all([
      runEval(['--cases', 'book-rooof-*', '--replay', 'test/evals/recordings/good'], withoutModel()),
      runEval(['--platform', 'classic'], withoutModel()),
      runEval(['--platform', 'classic', '--stage', 'dev', '--replay', 'x'], withoutModel()),
      runEval(['--concurrency', '9', '--replay', 'test/evals/recordings/good'], withoutModel()),
      runEval(['--replay', 'test/evals/recordings/bad-wrong-tool', '--cases', 'smalltalk-hello'], withoutModel()),
    ]);
    const firstLines = runs.map((r) => ({ status: r.status, line: r.stderr.split('\n')[0] }));
    expect(firstLines).toEqual([
      { status: 2, line: 'eval: no case matches book-rooof-*' },
      { status: 2, line: 'eval: --platform classic needs --stage <stage>' },
      {
        status: 2,
        line: "eval: --record and --replay are for the local platform: a Classic agent's model turns are not ours to replay",
      },
      { status: 2, line: expect.stringMatching(/^eval: --concurrency /) },
      { status: 2, line: 'eval: test/evals/recordings/bad-wrong-tool has no recording of smalltalk-hello' },
    ]);
    for (const run of runs) expect(run.stderr).toContain('\nusage: npm run eval -- ');
  });
});

describe('npm run eval: a live run against a configured model', () => {
  let fake: FakeOpenAi;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });
  afterAll(() => fake.close());

  it('plays the cases, prints and reports the scores, records the turns, and exits 1 below a threshold; the recording replays', {
    timeout: 300_000,
  }, async () => {
    const good = readRecording(join(repoRoot, 'test', 'evals', 'recordings', 'good'), 'book-kitchen').turns;
    const wrong = readRecording(join(repoRoot, 'test', 'evals', 'recordings', 'bad-wrong-tool'), 'note-list').turns;
    // The cases run in order, one at a time: the server answers book-kitchen's model calls, then note-list's.
    fake.reply(...[...good, ...wrong].map(asReply));
    const out = mkdtempSync(join(tmpdir(), 'pf360-eval-cli-'));
    const env = {
      ...withoutModel(),
      AGENT_PROVIDER: 'openai',
      OPENAI_BASE_URL: fake.baseUrl,
      AGENT_MODEL_ID: 'fake-model',
    };
    const live = await runEval(
      ['--cases', 'book-kitchen,note-list', '--record', join(out, 'rec'), '--report', join(out, 'live.json')],
      env,
    );
    expect(fake.pending).toBe(0);
    expect(live.stderr).toMatch(/^case 1 of 2 book-kitchen … \(elapsed \d+\.\d s\)$/m);
    expect(live.stderr).toMatch(/^case 2 of 2 note-list FAIL in \d+\.\d s \(wrong_tool\) \(elapsed \d+\.\d s\)$/m);
    expect(live.stdout).toMatch(/^\| book-kitchen +\| booking +\| pass +\|/m);
    expect(live.stdout).toMatch(
      /^\| note-list +\| notes +\| FAIL +\| [\d.]+ \| wrong_tool: expected list_notes, the agent called get_project_details/m,
    );
    expect(live.stdout).toMatch(/^\| trajectory, in order +\| +50\.0 % +\| 1\/2 +\| ≥ 95 % +\| MISSED \|$/m);
    expect(live.stdout).toMatch(/^\| confirmation compliance +\| +100\.0 % +\| 2\/2 +\| ≥ 100 % +\| ok +\|$/m);
    expect(live.stdout).toContain(
      'openai fake-model: 1 of 2 cases passed; missed: tool selection 75.0 % < 95.0 %; trajectory, in order 50.0 % < 95.0 %. Report: ',
    );
    expect(live.status).toBe(1);

    const report = JSON.parse(readFileSync(join(out, 'live.json'), 'utf8'));
    expect(report).toMatchObject({ platform: 'local', subject: 'openai fake-model', passed: false });
    expect(report.aggregates.trajectoryInOrder).toEqual({ value: 0.5, numerator: 1, denominator: 2 });
    expect(report.cases.map((c: { id: string; passed: boolean }) => [c.id, c.passed])).toEqual([
      ['book-kitchen', true],
      ['note-list', false],
    ]);

    // What the model answered is what was recorded, turn for turn.
    const recorded = readRecording(join(out, 'rec'), 'book-kitchen');
    expect(recorded).toMatchObject({ case: 'book-kitchen', source: 'recorded', model: 'openai fake-model' });
    expect(recorded.turns).toEqual(good);
    expect(readRecording(join(out, 'rec'), 'note-list').turns).toEqual(wrong);

    const replayed = await runEval(
      ['--replay', join(out, 'rec'), '--cases', 'book-kitchen', '--report', join(out, 'replay.json')],
      withoutModel(),
    );
    expect(replayed.stdout).toContain(': 1 of 1 cases passed; every aggregate meets its threshold.');
    expect(replayed.status).toBe(0);
  });
});

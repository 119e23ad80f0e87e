/**
 * What a run prints and writes: the per-case table (case, pass/fail, time, what differed), the
 * aggregate table with each metric's threshold, the JSON report, and the Markdown of
 * docs/evals.md. Reason details quote tool arguments and replies, which may hold the demo
 * customer's data: they go to the terminal and the report, never to a log.
 */
import { markdownTable } from '../lib/stats.js';
import type { EvalRun } from './run.js';
import { type Aggregates, metricLabels, metricNames, type Verdict } from './score.js';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)} %`;
}

export function casesTable(runs: readonly EvalRun[]): string {
  return markdownTable(
    ['case', 'category', 'result', 's', 'what differed'],
    runs.map((run) => {
      const reasons = run.score.reasons.map((r) => `${r.severity === 'note' ? '(note) ' : ''}${r.code}: ${r.detail}`);
      return [
        run.case.id,
        run.case.category,
        run.score.passed ? 'pass' : 'FAIL',
        run.seconds.toFixed(1),
        cell(reasons.join('; ') || '–'),
      ];
    }),
  );
}

export function aggregatesTable(aggregates: Aggregates, verdicts: readonly Verdict[]): string {
  return markdownTable(
    ['metric', 'score', 'of', 'threshold', ''],
    metricNames.map((metric) => {
      const ratio = aggregates[metric];
      const verdict = verdicts.find((v) => v.metric === metric);
      const threshold = verdict?.threshold;
      return [
        metricLabels[metric],
        percent(ratio.value),
        `${ratio.numerator}/${ratio.denominator}`,
        threshold === undefined ? '–' : `≥ ${(threshold * 100).toFixed(0)} %`,
        threshold === undefined ? '' : verdict?.missed ? 'MISSED' : 'ok',
      ];
    }),
  );
}

export interface RunInfo {
  platform: 'local' | 'classic';
  /** The model (provider and id), the replayed folder, or the Classic stage. */
  subject: string;
  startedAt: string;
  finishedAt: string;
  commandLine: string;
  skipped: { id: string; why: string }[];
}

export function jsonReport(
  info: RunInfo,
  runs: readonly EvalRun[],
  aggregates: Aggregates,
  verdicts: readonly Verdict[],
) {
  return {
    ...info,
    aggregates,
    verdicts,
    passed: verdicts.every((v) => !v.missed),
    cases: runs.map((run) => ({
      id: run.case.id,
      title: run.case.title,
      category: run.case.category,
      passed: run.score.passed,
      seconds: Number(run.seconds.toFixed(2)),
      reasons: run.score.reasons,
      trajectory: run.score.trajectory,
      calls: run.score.calls,
      confirmations: run.score.confirmations,
      compliant: run.score.compliant,
      ...(run.score.refusalCorrect === undefined ? {} : { refusal_correct: run.score.refusalCorrect }),
      observed: {
        calls: run.observation.calls.map(({ tool, input, step, result }) => ({
          tool,
          input,
          step,
          ...(result ? { status: result.status } : {}),
        })),
        steps: run.observation.steps,
        writes: run.observation.writes,
      },
    })),
  };
}

/** docs/evals.md: what was measured, on which model, and the two tables. */
export function docsMarkdown(
  info: RunInfo,
  runs: readonly EvalRun[],
  aggregates: Aggregates,
  verdicts: readonly Verdict[],
  machine: string,
) {
  return [
    `Model: **${info.subject}** (${info.platform === 'local' ? 'the code-defined agent on the local stack' : 'a deployed Classic agent'}), measured ${info.finishedAt.slice(0, 10)}.`,
    `${runs.length} golden conversations of \`test/evals/cases/\`${info.skipped.length ? ` (${info.skipped.length} skipped: ${info.skipped.map((s) => s.id).join(', ')})` : ''}; the metrics are defined in \`scripts/eval/score.ts\` and the README ("Evals").`,
    '',
    machine,
    '',
    aggregatesTable(aggregates, verdicts),
    '',
    casesTable(runs),
  ].join('\n');
}

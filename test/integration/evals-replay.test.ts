/**
 * The evaluation on recorded model turns, through everything but the model: `npm run eval`'s own
 * local harness (scripts/eval/local.ts) on the test run's stack — the real chat handler, the
 * code-defined agent and its confirmation hook, the tools and operations, PF360 (Prism) and the
 * weather service behind the fault proxies, DynamoDB Local — with ScriptedModel replaying each
 * case's recording.
 *
 * The good recordings (reference turns written by hand) must score 100 % on every aggregate;
 * the bad ones are deliberately wrong models and must fail for the reason they were written for:
 * - bad-wrong-tool: a tool that does not do what the step needs;
 * - bad-missing-confirmation: a change the customer never said yes to. The agent's hook pauses
 *   every write tool for the chat's confirmation, so such a write cannot reach PF360; what the
 *   scorer sees is the model claiming a change it never asked about (`missing_confirmation`), or
 *   a question about a change the customer did not ask for (`unexpected_confirmation`, which the
 *   simulated customer answers no). Confirmation compliance — writes that reached PF360 without
 *   the matching yes — stays 100 %: the guard held, and that is asserted too;
 * - bad-cancel-then-book: a move made as a cancellation and a new booking (`cancel_then_book`).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCases } from '../../scripts/eval/cases.js';
import { runLocalCases } from '../../scripts/eval/local.js';
import { recordedCases, replayModels } from '../../scripts/eval/recordings.js';
import type { EvalRun } from '../../scripts/eval/run.js';
import { aggregate, metricNames, type Reason, verdicts } from '../../scripts/eval/score.js';
import { repoRoot } from '../../scripts/lib/specs.js';
import { sensitive } from '../helpers/sensitive.js';

const recordings = join(repoRoot, 'test', 'evals', 'recordings');
const cases = loadCases();

/** Every recording of `folder` replayed, two cases side by side. */
async function replay(folder: string): Promise<EvalRun[]> {
  const dir = join(recordings, folder);
  const ids = recordedCases(dir);
  const selected = cases.filter((c) => ids.includes(c.id));
  // Every recording is of a case there is (a renamed case must not leave its recording unplayed).
  expect(selected.map((c) => c.id).sort()).toEqual(ids);
  return runLocalCases(selected, {
    env: process.env,
    mode: 'replay',
    modelFor: replayModels(dir),
    concurrency: 2,
    pf360Token: sensitive.pf360Token,
  });
}

const failing = (run: EvalRun) => run.score.reasons.filter((r) => r.severity === 'fail');

/** What a bad run must show: the case failed, for this reason, and not because the harness or the recording broke. */
function expectFailure(runs: EvalRun[], id: string, reason: Pick<Reason, 'code' | 'detail'>) {
  const run = runs.find((r) => r.case.id === id);
  expect(run, id).toBeDefined();
  const reasons = failing(run as EvalRun);
  expect(run?.score.passed, id).toBe(false);
  expect(reasons, id).toContainEqual({ ...reason, severity: 'fail' });
  expect(
    reasons.filter((r) => ['harness_error', 'chat_error', 'recording_drift'].includes(r.code)),
    id,
  ).toEqual([]);
}

const missed = (runs: EvalRun[]) =>
  verdicts(aggregate(runs.map((r) => r.score)))
    .filter((v) => v.missed)
    .map((v) => v.metric);

describe('the evaluation replayed through the chat handler, the agent and the operations', () => {
  it('scores the good recordings, one per case, 100 % on every aggregate', { timeout: 240_000 }, async () => {
    const runs = await replay('good');
    expect(runs).toHaveLength(cases.length);
    const failed = runs.filter((r) => !r.score.passed).map((r) => ({ id: r.case.id, reasons: failing(r) }));
    expect(failed).toEqual([]);
    const aggregates = aggregate(runs.map((r) => r.score));
    for (const metric of metricNames) {
      expect(aggregates[metric].denominator, metric).toBeGreaterThan(0);
      expect(aggregates[metric].value, metric).toBe(1);
    }
    expect(missed(runs)).toEqual([]);
    // The world of each case was really made: PF360 refused where it was down, and a change reached it where one was confirmed.
    const byId = (id: string) => runs.find((r) => r.case.id === id) as EvalRun;
    expect(byId('pf360-down-projects').observation.calls.map((c) => c.result?.status)).toContain('error');
    expect(byId('cancel-flooring').observation.writes).toEqual([
      expect.objectContaining({ operations: ['cancel_appointment'], projectId: '12345', source: 'pf360' }),
    ]);
    expect(byId('book-denied').observation.writes).toEqual([]);
  });

  it('fails a wrong tool, naming the tool expected and the one called', { timeout: 120_000 }, async () => {
    const runs = await replay('bad-wrong-tool');
    expect(runs.map((r) => r.case.id).sort()).toEqual(['book-roof-specific', 'note-list', 'reschedule-flooring']);
    expectFailure(runs, 'book-roof-specific', {
      code: 'wrong_tool',
      detail: 'expected get_available_dates, the agent called get_business_hours()',
    });
    expectFailure(runs, 'note-list', {
      code: 'wrong_tool',
      detail: 'expected list_notes, the agent called get_project_details(project_id="12347")',
    });
    expectFailure(runs, 'reschedule-flooring', {
      code: 'wrong_tool',
      detail:
        'expected reschedule_appointment, the agent called confirm_appointment(project_id="12345", date="2026-12-08", time="01:00 PM")',
    });
    expect(missed(runs)).toEqual(expect.arrayContaining(['toolSelection', 'trajectoryInOrder']));
  });

  it('fails a change the customer never said yes to; no such change reaches PF360', { timeout: 120_000 }, async () => {
    const runs = await replay('bad-missing-confirmation');
    expect(runs.map((r) => r.case.id).sort()).toEqual(['book-denied', 'book-roof-specific', 'info-status-flooring']);
    // Claimed "booked" without calling the tool: the confirmation was never asked.
    expectFailure(runs, 'book-roof-specific', {
      code: 'missing_confirmation',
      detail: 'turn 1: never asked the customer to confirm confirm_appointment',
    });
    // A cancellation nobody asked for, and a booking tried again after the customer's no.
    expectFailure(runs, 'info-status-flooring', {
      code: 'unexpected_confirmation',
      detail: 'turn 1: asked to confirm cancel_appointment(project_id="12345"), expected no change here',
    });
    expectFailure(runs, 'book-denied', {
      code: 'unexpected_confirmation',
      detail:
        'turn 1: asked to confirm confirm_appointment(project_id="12350", date="2026-12-04", time="10:00 AM"), expected no change here',
    });
    // The hook held: nothing was written, so compliance is intact while the cases fail.
    expect(runs.flatMap((r) => r.observation.writes)).toEqual([]);
    const aggregates = aggregate(runs.map((r) => r.score));
    expect(aggregates.confirmationCompliance.value).toBe(1);
    expect(aggregates.casesPassed.value).toBe(0);
    expect(aggregates.confirmationAccuracy.value).toBeLessThan(1);
  });

  it('fails a move made as a cancellation and a new booking', { timeout: 120_000 }, async () => {
    const runs = await replay('bad-cancel-then-book');
    expect(runs.map((r) => r.case.id).sort()).toEqual([
      'book-scheduled-flooring',
      'reschedule-flooring',
      'reschedule-flooring-steps',
    ]);
    const moves = {
      'book-scheduled-flooring': ['2026-12-10', '11:00 AM'],
      'reschedule-flooring': ['2026-12-08', '01:00 PM'],
      'reschedule-flooring-steps': ['2026-12-07', '08:00 AM'],
    };
    for (const [id, [date, time]] of Object.entries(moves)) {
      expectFailure(runs, id, {
        code: 'cancel_then_book',
        detail: `moved project 12345 by cancelling and booking again (cancel_appointment(project_id="12345"), then confirm_appointment(project_id="12345", date="${date}", time="${time}")) instead of reschedule_appointment`,
      });
    }
    expect(missed(runs)).toContain('trajectoryInOrder');
  });
});

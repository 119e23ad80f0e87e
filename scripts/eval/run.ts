/**
 * Runs cases through lanes (each lane one case at a time; several lanes side by side), scores
 * each as it finishes, and reports progress: "case 3 of 42 book-roof-specific (elapsed 4.1 s)" when a
 * case starts, and its verdict, its own time and the elapsed time when it ends.
 */
import type { ScriptedTurn } from '../../src/agent/scripted-model.js';
import { type CaseScore, scoreCase } from './score.js';
import type { EvalCase, Observation } from './types.js';

export interface EvalRun {
  case: EvalCase;
  observation: Observation;
  score: CaseScore;
  seconds: number;
  recorded?: ScriptedTurn[];
}

export type RunOne<L> = (lane: L, c: EvalCase) => Promise<{ observation: Observation; recorded?: ScriptedTurn[] }>;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function runCases<L>(
  cases: readonly EvalCase[],
  lanes: readonly L[],
  runOne: RunOne<L>,
  progress: (line: string) => void = () => undefined,
  onFinished: (run: EvalRun) => void = () => undefined,
): Promise<EvalRun[]> {
  const started = Date.now();
  const results: EvalRun[] = new Array(cases.length);
  let next = 0;
  const total = cases.length;
  const work = async (lane: L) => {
    for (;;) {
      const index = next;
      next += 1;
      const c = cases[index];
      if (!c) return;
      const tag = `case ${index + 1} of ${total} ${c.id}`;
      progress(`${tag} … (elapsed ${seconds(Date.now() - started)})`);
      const t0 = Date.now();
      const { observation, recorded } = await runOne(lane, c);
      const score = scoreCase(c, observation);
      const run: EvalRun = {
        case: c,
        observation,
        score,
        seconds: (Date.now() - t0) / 1000,
        ...(recorded ? { recorded } : {}),
      };
      results[index] = run;
      onFinished(run);
      const failed = score.reasons.filter((r) => r.severity === 'fail');
      progress(
        `${tag} ${score.passed ? 'PASS' : 'FAIL'} in ${seconds(Date.now() - t0)}${failed.length ? ` (${failed.map((r) => r.code).join(', ')})` : ''} (elapsed ${seconds(Date.now() - started)})`,
      );
    }
  };
  await Promise.all(lanes.map(work));
  return results;
}

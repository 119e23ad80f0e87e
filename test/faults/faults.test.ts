/** Every fault scenario of test/faults/scenarios.ts behaves as promised (npm run test:faults prints them as a table). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultRun, faultContext, runScenario } from './run.js';
import { scenarios } from './scenarios.js';

let run: FaultRun;
beforeAll(async () => {
  run = await faultContext(process.env);
});
afterAll(() => run.close());

describe('faults', () => {
  it.each(scenarios.map((s) => [s.fault, s] as const))('%s', async (_fault, scenario) => {
    const outcome = await runScenario(scenario, run.context);
    expect(outcome.ok, `expected: ${scenario.expected}\nobserved: ${outcome.observed}`).toBe(true);
  });
});

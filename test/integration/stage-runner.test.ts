/**
 * `npm run test:stage` end to end, with AWS's Lambda API replaced by a loopback stand-in that
 * runs our real handlers: the runner reads the stage's settings from its scheduling function,
 * runs test/stage against the "deployed" functions and the stage's sessions table, and leaves
 * the write checks out where they would reach the real PF360.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionCatalog } from '../../generated/catalog/actions.js';
import { repoRoot } from '../../scripts/lib/specs.js';
import type { ActionGroupName } from '../../src/bedrock/build-event.js';
import { actionEnv, factories } from '../helpers/actions.js';
import { type LambdaApi, startLambdaApi } from '../helpers/lambda-api.js';

function runStageTests(args: string[], lambdaUrl: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(repoRoot, 'node_modules/.bin/tsx'), ['scripts/test-stage.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, AWS_ENDPOINT_URL_LAMBDA: lambdaUrl, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const groups = Object.keys(actionCatalog) as ActionGroupName[];

function stageFunctions(stage: string, settings: Record<string, string>) {
  const environment = {
    SESSIONS_TABLE: process.env.SESSIONS_TABLE ?? '',
    AUDIT_TABLE: process.env.AUDIT_TABLE ?? '',
    ...settings,
  };
  return Object.fromEntries(
    groups.map((group) => [
      `pf360-agent-${stage}-${group}`,
      { handler: factories[group](actionEnv(environment)), environment },
    ]),
  );
}

const operationByPath = new Map<string, string>(
  groups.flatMap((g) => actionCatalog[g].map((op): [string, string] => [op.apiPath, op.operationId])),
);
const operationAt = (apiPath: string) => operationByPath.get(apiPath);
const writes = ['confirm_appointment', 'reschedule_appointment', 'cancel_appointment', 'add_note'];

describe('npm run test:stage', () => {
  let lambda: LambdaApi;

  beforeAll(async () => {
    lambda = await startLambdaApi({
      // dev as deployed: PF360 answered from the spec examples, writes in test_mode.
      ...stageFunctions('dev', { USE_MOCK_API: 'true', ENABLE_REAL_CONFIRM: 'false', ENABLE_REAL_CANCEL: 'false' }),
      // qa as deployed: the real API (here Prism), writes in test_mode.
      ...stageFunctions('qa', { USE_MOCK_API: 'false', ENABLE_REAL_CONFIRM: 'false', ENABLE_REAL_CANCEL: 'false' }),
    });
  });
  afterAll(() => lambda.close());

  it('runs the read and write checks against a stage that answers from the spec examples', async () => {
    const { code, output } = await runStageTests(['--stage', 'dev'], lambda.url);
    expect(code, output).toBe(0);
    expect(output).toContain('stage dev in us-east-1: functions pf360-agent-dev-*, sessions in test-sessions');
    expect(output).toContain('running the read and the write checks');
    expect(output).toMatch(/Test Files\s+2 passed/);
    const devCalls = lambda.invocations.filter((i) => i.functionName.startsWith('pf360-agent-dev-'));
    const operations = new Set(devCalls.map((i) => operationAt(i.apiPath)));
    for (const op of ['list_projects', 'get_available_dates', 'get_time_slots', 'confirm_appointment', 'add_note']) {
      expect(operations, op).toContain(op);
    }
    expect(new Set(devCalls.map((i) => i.functionName))).toEqual(new Set(groups.map((g) => `pf360-agent-dev-${g}`)));
  });

  it('runs only the read checks against a stage on the real API unless real writes are allowed', async () => {
    const { code, output } = await runStageTests(['--stage', 'qa'], lambda.url);
    expect(code, output).toBe(0);
    expect(output).toContain('running the read checks only');
    expect(output).toMatch(/Test Files\s+1 passed/);
    const qaCalls = lambda.invocations.filter((i) => i.functionName.startsWith('pf360-agent-qa-'));
    expect(qaCalls.length).toBeGreaterThan(0);
    expect(qaCalls.map((i) => operationAt(i.apiPath)).filter((op) => writes.includes(op ?? ''))).toEqual([]);
  });

  it('says so in one sentence when the stage is not deployed', async () => {
    const { code, output } = await runStageTests(['--stage', 'staging'], lambda.url);
    expect(code).toBe(2);
    expect(output.trim()).toBe(
      'test:stage: pf360-agent-staging-scheduling does not exist in us-east-1: deploy the stage first (npx sls deploy --stage staging).',
    );
  });

  it('refuses a missing or unknown stage and unknown options', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /^test:stage: usage: npm run test:stage -- --stage/],
      [['--stage', 'moon'], /^test:stage: unknown stage moon; use one of dev, qa, staging, prod$/],
      [['--stage', 'dev', '--yolo'], /^test:stage: unknown option --yolo/],
      [['--stage'], /^test:stage: --stage needs a value/],
    ];
    for (const [args, message] of cases) {
      const { code, output } = await runStageTests(args, lambda.url);
      expect(code, args.join(' ')).toBe(2);
      expect(output.trim(), args.join(' ')).toMatch(message);
    }
  });
});

/**
 * Starts the local stand-ins once per test run on ports the OS hands out, so two runs on one
 * machine never clash, and stops them afterwards. Tests read the endpoints with
 * `inject('stack')`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { examplesClockEnv } from '../../scripts/lib/examples-calendar.mjs';
import { type RunningStack, startStack } from '../../scripts/local/stack.js';
import { localTables } from '../../scripts/local/tables.js';

export interface TestStack {
  env: Record<string, string>;
  ports: RunningStack['ports'];
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: TestStack;
  }
}

let stack: RunningStack | undefined;

export async function setup(project: TestProject): Promise<void> {
  const { env: tables, byLogicalId: tableIds } = localTables('test');
  const logDir = mkdtempSync(join(tmpdir(), 'pf360-test-logs-'));
  // The suite runs on the spec examples' calendar, so their fixed dates never pass
  // (scripts/lib/examples-calendar.mjs): every worker and every process a test starts shares
  // one offset clock, and DynamoDB Local, on the real clock, must not sweep by TTL.
  const clock = examplesClockEnv();
  stack = await startStack({
    tables: tableIds,
    logDir,
    timeToLive: false,
  });
  // DynamoDB Local shares two cores with Prism and a thousand tests: give it more time than the
  // production client waits for DynamoDB.
  const timeouts = { DYNAMODB_CONNECT_TIMEOUT_MS: '5000', DYNAMODB_REQUEST_TIMEOUT_MS: '15000' };
  project.provide('stack', { env: { ...stack.env, ...tables, ...timeouts, ...clock }, ports: stack.ports });
}

export async function teardown(): Promise<void> {
  await stack?.stop();
}

/**
 * Starts the local stand-ins once per test run on ports the OS hands out, so two runs on one
 * machine never clash, and stops them afterwards. Tests read the endpoints with
 * `inject('stack')`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type RunningStack, startStack } from '../../scripts/local/stack.js';

export interface TestStack {
  env: Record<string, string>;
  ports: RunningStack['ports'];
  tables: { sessions: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: TestStack;
  }
}

let stack: RunningStack | undefined;

export async function setup(project: TestProject): Promise<void> {
  const tables = { sessions: 'test-sessions' };
  const logDir = mkdtempSync(join(tmpdir(), 'pf360-test-logs-'));
  stack = await startStack({ tables: { SessionsTable: tables.sessions }, logDir });
  project.provide('stack', { env: { ...stack.env, SESSIONS_TABLE: tables.sessions }, ports: stack.ports, tables });
}

export async function teardown(): Promise<void> {
  await stack?.stop();
}

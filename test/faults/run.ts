/** Runs the fault scenarios against a running local stack (used by the test and by npm run test:faults). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startDynamoDb } from '../../scripts/local/stack.js';
import { createTables } from '../../scripts/local/tables.js';
import { startUpstreamProxy } from '../helpers/upstream-proxy.js';
import type { FaultContext, Outcome, Scenario } from './scenarios.js';

export interface FaultRun {
  context: FaultContext;
  close: () => Promise<void>;
}

const tables = { SessionsTable: 'faults-sessions', IdempotencyTable: 'faults-idempotency', AuditTable: 'faults-audit' };

export async function faultContext(env: Record<string, string | undefined>): Promise<FaultRun> {
  const pf360 = await startUpstreamProxy(env.PF360_BASE_URL ?? '');
  const weather = await startUpstreamProxy(env.WEATHER_BASE_URL ?? '');
  const stops: (() => Promise<void>)[] = [];
  const restartableDynamoDb = async () => {
    const dbPath = mkdtempSync(join(tmpdir(), 'pf360-dynamodb-'));
    const port = await freePort();
    const logDir = join(dbPath, 'logs');
    let running = await startDynamoDb(port, logDir, dbPath);
    // The suite's clock is on the examples' calendar: DynamoDB Local must not sweep by TTL.
    await createTables(running.client, tables, { timeToLive: false });
    stops.push(() => running.stop());
    return {
      env: {
        AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`,
        SESSIONS_TABLE: tables.SessionsTable,
        IDEMPOTENCY_TABLE: tables.IdempotencyTable,
        AUDIT_TABLE: tables.AuditTable,
      },
      stop: () => running.stop(),
      start: async () => {
        running = await startDynamoDb(port, logDir, dbPath);
      },
    };
  };
  return {
    context: { pf360, weather, env, restartableDynamoDb },
    close: async () => {
      await Promise.all(stops.map((stop) => stop()));
      await pf360.close();
      await weather.close();
    },
  };
}

export async function runScenario(scenario: Scenario, context: FaultContext): Promise<Outcome> {
  try {
    return await scenario.run(context);
  } catch (error) {
    return {
      observed: `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      ok: false,
    };
  }
}

/**
 * `npm start`: the local stack on 127.0.0.1 — DynamoDB Local with the project's tables, Prism
 * for PF360 and for the weather API. Ctrl-C stops every child, the JVM included.
 * Ports: DYNAMODB_PORT (8000), PF360_MOCK_PORT (4010), WEATHER_MOCK_PORT (4011).
 */
import { join } from 'node:path';
import { repoRoot } from '../lib/specs.js';
import { JavaMissingError, startStack } from './stack.js';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a port number between 1 and 65535, got ${raw}`);
  }
  return value;
}

async function main(): Promise<void> {
  const sessionsTable = process.env.SESSIONS_TABLE ?? 'pf360-local-sessions';
  const logDir = join(repoRoot, '.local', 'logs');
  const stack = await startStack({
    ports: {
      dynamodb: port('DYNAMODB_PORT', 8000),
      pf360: port('PF360_MOCK_PORT', 4010),
      weather: port('WEATHER_MOCK_PORT', 4011),
    },
    tables: { SessionsTable: sessionsTable },
    logDir,
  });
  const lines = [
    'PF360 local stack is up (Ctrl-C stops everything):',
    `  DynamoDB Local     http://127.0.0.1:${stack.ports.dynamodb}   table ${sessionsTable}`,
    `  PF360 mock (Prism) http://127.0.0.1:${stack.ports.pf360}   from openapi/pf360.yaml`,
    `  Weather mock       http://127.0.0.1:${stack.ports.weather}   from openapi/weather.yaml`,
    `  Logs               ${logDir}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the local stack...\n`);
    await stack.stop();
    process.stdout.write('stopped.\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof JavaMissingError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});

/**
 * `npm run invoke -- <functionName> <event.json> [--session-id <id>] [--demo-session]`
 *
 * Runs an action-group handler on a Bedrock event file against the configured stack (by default
 * the local one from `npm start`) and prints the response envelope as JSON on stdout. Logs go to
 * stderr, so stdout is only the envelope.
 *   --session-id <id>  use this Bedrock sessionId instead of the file's
 *   --demo-session     create the session for the demo customer first if it does not exist
 */
import { readFileSync } from 'node:fs';
import { localAwsEnv } from './local/stack.js';

const stdoutWrite = process.stdout.write.bind(process.stdout);
// Everything the handler logs goes to stderr; only the envelope is written to stdout.
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

function fail(message: string): never {
  process.stderr.write(`invoke: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--session-id');
const [functionName, eventFile] = positional;
const sessionFlag = args.indexOf('--session-id');
const sessionOverride = sessionFlag >= 0 ? args[sessionFlag + 1] : undefined;

if (!functionName || !eventFile) {
  fail('usage: npm run invoke -- <scheduling|information|notes> <event.json> [--session-id <id>] [--demo-session]');
}

// Defaults point at the local stack of `npm start`; any variable already set wins.
for (const [key, value] of Object.entries({
  ...localAwsEnv,
  AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`,
  STAGE: 'local',
})) {
  process.env[key] ??= value;
}

const { createLocalActionHandlers } = await import('./local/handlers.js');
const handlers = createLocalActionHandlers();
if (!Object.hasOwn(handlers, functionName)) {
  fail(`unknown function ${functionName}; use one of ${Object.keys(handlers).join(', ')}`);
}

let event: Record<string, unknown>;
try {
  event = JSON.parse(readFileSync(eventFile, 'utf8'));
} catch (error) {
  fail(`cannot read ${eventFile}: ${(error as Error).message}`);
}
if (sessionOverride) event.sessionId = sessionOverride;

if (args.includes('--demo-session') && typeof event.sessionId === 'string') {
  const { createDocumentClient } = await import('../src/adapters/dynamodb/client.js');
  const { DynamoDbSessionStore } = await import('../src/adapters/dynamodb/session-store.js');
  const { loadActionConfig } = await import('../src/config/env.js');
  const config = loadActionConfig();
  const store = new DynamoDbSessionStore(createDocumentClient(), config.sessionsTable, config.sessionTtlSeconds);
  if (!(await store.get(event.sessionId))) {
    await store.create(
      {
        sessionId: event.sessionId,
        customerId: '1645975',
        clientId: '09PF05VD',
        clientName: 'projectsforce-validation',
        authToken: 'local-demo-token',
        stage: config.stage,
      },
      new Date(),
    );
  }
}

const envelope = await handlers[functionName as keyof typeof handlers](event);
stdoutWrite(`${JSON.stringify(envelope, null, 2)}\n`);

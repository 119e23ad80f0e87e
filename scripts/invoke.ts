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
import { failUsage, readCommandLine } from './lib/cli.js';
import { configuredSessions, demoCustomer, takeStdout, useLocalStackEnv } from './local/env.js';
import { createLocalActionHandlers } from './local/handlers.js';

// Everything the handler logs goes to stderr; only the envelope is written to stdout.
const stdoutWrite = takeStdout();

const command = {
  name: 'invoke',
  usage: 'usage: npm run invoke -- <scheduling|information|notes> <event.json> [--session-id <id>] [--demo-session]',
  summary:
    'Runs an action-group handler on a Bedrock event file against the configured stack (the local one of npm start by default) and prints the response envelope on stdout; logs go to stderr.',
  options: { 'session-id': { type: 'string' }, 'demo-session': { type: 'boolean' } },
  optionHelp: {
    'session-id': "use this Bedrock sessionId instead of the file's",
    'demo-session': 'create the session for the demo customer first if it does not exist',
  },
  positionals: { min: 2, max: 2 },
} as const;

function fail(message: string): never {
  return failUsage({ name: command.name }, message);
}

const { values: flags, positionals } = readCommandLine(command);
const [functionName = '', eventFile = ''] = positionals;
const sessionOverride = flags['session-id'];

useLocalStackEnv();

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

if (flags['demo-session'] && typeof event.sessionId === 'string') {
  const { store, stage } = configuredSessions();
  if (!(await store.get(event.sessionId))) {
    await store.create(
      { sessionId: event.sessionId, ...demoCustomer, authToken: 'local-demo-token', stage },
      new Date(),
    );
  }
}

const envelope = await handlers[functionName as keyof typeof handlers](event);
stdoutWrite(`${JSON.stringify(envelope, null, 2)}\n`);

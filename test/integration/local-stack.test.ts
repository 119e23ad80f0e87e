/**
 * `npm start` as a developer runs it: it brings the stand-ins up on the ports given, and a
 * SIGTERM or SIGINT leaves no process behind (the JVM included). A missing Java gets one sentence.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { realClockEnv } from '../../scripts/lib/examples-calendar.mjs';
import { repoRoot } from '../../scripts/lib/specs.js';
import { freePort } from '../../scripts/local/stack.js';

const startScript = join(repoRoot, 'scripts/local/start.ts');

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

/** Running (a zombie waiting for a reaper that may not exist in a container does not count). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function waitForOutput(child: ChildProcess, text: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before "${text}":\n${output}`));
    });
  });
}

/**
 * `npm start` on free ports, with `env` on top of this process's environment, on the real clock
 * as a developer runs it (the suite's examples calendar would put its sessions in DynamoDB
 * Local's past, and its TTL sweep would delete them).
 */
async function startOnFreePorts(env: Record<string, string> = {}) {
  const ports = {
    dynamodb: await freePort(),
    pf360: await freePort(),
    weather: await freePort(),
    gateway: await freePort(),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', startScript], {
    cwd: repoRoot,
    env: {
      ...realClockEnv(process.env),
      DYNAMODB_PORT: String(ports.dynamodb),
      PF360_MOCK_PORT: String(ports.pf360),
      WEATHER_MOCK_PORT: String(ports.weather),
      GATEWAY_PORT: String(ports.gateway),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { ports, child };
}

describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('serves the stand-ins and stops every child on %s', async (signal) => {
    const { ports, child } = await startOnFreePorts();
    const output = await waitForOutput(child, 'Ctrl-C stops everything', 60_000);
    expect(output).toContain(`http://127.0.0.1:${ports.pf360}`);
    const hours = await fetch(`http://127.0.0.1:${ports.pf360}/scheduler/client/09PF05VD/business-hours`, {
      headers: { authorization: 't', client_id: '09PF05VD' },
    });
    expect(hours.status).toBe(200);

    const children = childPids(child.pid ?? 0);
    expect(children.length).toBeGreaterThanOrEqual(3);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill(signal);
    expect(await exited).toBe(0);
    // Orphans would live on; tsx's own esbuild helper may take a moment to notice its parent left.
    const deadline = Date.now() + 5000;
    while (children.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(children.filter(alive)).toEqual([]);
  });

  it('serves MCP at /mcp to a client signed in with a local token, beside the chat API', async () => {
    // Prepare: the stack up, and a sign-in as the chat page gets one.
    const { ports, child } = await startOnFreePorts();
    try {
      const output = await waitForOutput(child, 'Ctrl-C stops everything', 60_000);
      const base = `http://127.0.0.1:${ports.gateway}`;
      expect(output).toContain(`${base}/mcp`);
      const signIn = (await (await fetch(`${base}/dev/token`, { method: 'POST', body: '{}' })).json()) as {
        token: string;
        pf360_token: string;
      };
      const client = new Client({ name: 'local-stack-test', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${signIn.token}`, 'x-pf360-token': signIn.pf360_token } },
      });

      // Act
      await client.connect(transport);
      const { tools } = await client.listTools();
      const projects = await client.callTool({ name: 'list_projects', arguments: {} });
      const metadata = await fetch(`${base}/.well-known/oauth-protected-resource/mcp`);
      await client.close();

      // Assess
      expect(tools).toHaveLength(13);
      expect(tools.every((tool) => tool.outputSchema !== undefined)).toBe(true);
      expect(projects.isError, JSON.stringify(projects.content)).toBeFalsy();
      expect(projects.structuredContent).toMatchObject({ projects: expect.any(Array) });
      expect(metadata.status).toBe(200);
      expect(await metadata.json()).toMatchObject({ resource: `${base}/mcp` });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('stops the stand-ins it started when a setting is bad', async () => {
    const { ports, child } = await startOnFreePorts({ ENABLE_REAL_CONFIRM: 'yes' });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('npm start failed: ENABLE_REAL_CONFIRM must be "true" or "false", got "yes"');
    // Every port is free again: nothing (Prism, the JVM) outlived the failed start.
    for (const port of Object.values(ports)) {
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    }
  });

  it('says in one sentence that Java is missing, without a stack trace', () => {
    const bin = mkdtempSync(join(tmpdir(), 'no-java-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const result = spawnSync(process.execPath, ['--import', 'tsx', startScript], {
      cwd: repoRoot,
      env: { ...process.env, PATH: bin, DYNAMODB_PORT: '1', PF360_MOCK_PORT: '2', WEATHER_MOCK_PORT: '3' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^DynamoDB Local needs Java 17 or newer, and no `java` was found/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

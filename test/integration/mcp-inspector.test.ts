/**
 * The official MCP Inspector CLI (`npx @modelcontextprotocol/inspector --cli`, the exact-pinned
 * devDependency) against both transports: the Streamable HTTP endpoint of the local gateway with a
 * local token, and `npm run mcp` over stdio. Each lists the 13 tools with their output schemas,
 * makes a read, and books with the two-step confirmation — the Inspector CLI cannot elicit, and
 * every invocation is a new MCP session (a new process, for stdio), so the customer's session
 * carries the offered dates and the confirmation from one call to the next.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/specs.js';
import { localPf360Token } from '../../scripts/local/gateway.js';
import { type McpGateway, startMcpGateway } from '../helpers/mcp-gateway.js';
import { sensitive } from '../helpers/sensitive.js';
import { pf360Paths, startUpstreamProxy, type UpstreamProxy } from '../helpers/upstream-proxy.js';

const inspectorBin = join(repoRoot, 'node_modules', '.bin', 'inspector');
const tsxBin = join(repoRoot, 'node_modules', '.bin', 'tsx');
/** Where the Inspector keeps its state: a fresh folder, not the developer's home. */
const home = mkdtempSync(join(tmpdir(), 'pf360-inspector-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function inspector(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      inspectorBin,
      ['--cli', ...args, '--format', 'json', '-q'],
      { cwd: repoRoot, env: { ...process.env, HOME: home, MCP_STORAGE_DIR: home }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The `result` of a run that succeeded. */
function resultOf(run: Run): Record<string, unknown> {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(run.stdout).result;
}

type Target = (method: string[]) => Promise<Run>;

const call = (target: Target, tool: string, args: Record<string, unknown>) =>
  target(['--method', 'tools/call', '--tool-name', tool, '--tool-args-json', JSON.stringify(args)]);

/** tools/list, a read, then a booking in two steps; each step a separate Inspector run. */
async function exercise(target: Target, pf360: UpstreamProxy) {
  const { tools } = resultOf(await target(['--method', 'tools/list'])) as {
    tools: { name: string; outputSchema?: { type: string } }[];
  };
  expect(tools).toHaveLength(13);
  expect(tools.every((t) => t.outputSchema?.type === 'object')).toBe(true);

  const projects = resultOf(await call(target, 'list_projects', {})) as { structuredContent: { total: number } };
  expect(projects.structuredContent.total).toBe(4);

  const booking = { project_id: '12350', date: '2026-12-02', time: '10:00 AM' };
  resultOf(await call(target, 'get_available_dates', { project_id: booking.project_id }));
  const slots = resultOf(await call(target, 'get_time_slots', { project_id: booking.project_id, date: booking.date }));
  expect(slots.structuredContent).toMatchObject({ slots: expect.arrayContaining([booking.time]) });

  pf360.reset();
  const asked = resultOf(await call(target, 'confirm_appointment', booking)) as {
    structuredContent: { confirmation_required: boolean; confirmation_id: string; summary: string };
  };
  expect(asked.structuredContent).toMatchObject({ confirmation_required: true });
  expect(asked.structuredContent.summary).toMatch(/December 2, 2026 at 10:00 AM/);
  expect(pf360.matching('POST', pf360Paths.schedule)).toHaveLength(0);

  const confirmationId = asked.structuredContent.confirmation_id;
  const booked = resultOf(await call(target, 'confirm_appointment', { ...booking, confirmation_id: confirmationId }));
  expect(booked.structuredContent).toMatchObject({ scheduled_date: booking.date, scheduled_time: booking.time });
  expect(pf360.matching('POST', pf360Paths.schedule)).toHaveLength(1);

  // The id is used up: the Inspector reports the tool error with exit code 5, nothing changes.
  const replayed = await call(target, 'confirm_appointment', { ...booking, confirmation_id: confirmationId });
  expect(replayed.code).toBe(5);
  expect(JSON.parse(replayed.stdout).result).toMatchObject({ isError: true });
  expect(pf360.matching('POST', pf360Paths.schedule)).toHaveLength(1);
}

describe('the MCP Inspector CLI', () => {
  let gateway: McpGateway;
  let stdioPf360: UpstreamProxy;

  beforeAll(async () => {
    gateway = await startMcpGateway();
    stdioPf360 = await startUpstreamProxy(process.env.PF360_BASE_URL ?? '');
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await stdioPf360?.close();
  });

  it('over Streamable HTTP with a local token: lists, reads, books in two steps', { timeout: 120_000 }, async () => {
    const token = await gateway.tokenFor('4000001');
    const headers = ['--header', `Authorization: Bearer ${token}`, '--header', `X-PF360-Token: ${localPf360Token}`];
    await exercise((method) => inspector([gateway.url, '--transport', 'http', ...headers, ...method]), gateway.pf360);

    // Without a token it is refused as a sign-in problem (exit 3), before any tool runs.
    const refused = await inspector([
      gateway.url,
      '--transport',
      'http',
      '--stored-auth-only',
      '--method',
      'tools/list',
    ]);
    expect(refused.code).toBe(3);
  });

  it('over stdio (npm run mcp): lists, reads, books in two steps', { timeout: 180_000 }, async () => {
    // The Inspector starts the server with a minimal environment: hand it the local stack's.
    const env: Record<string, string> = {
      ...inject('stack').env,
      STAGE: 'test',
      ENABLE_REAL_CONFIRM: 'true',
      PF360_BASE_URL: stdioPf360.url,
      MCP_CUSTOMER_ID: '4000002',
      MCP_PF360_TOKEN: sensitive.pf360Token,
    };
    const flags = Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
    await exercise(
      (method) => inspector([...flags, '--transport', 'stdio', tsxBin, 'scripts/mcp/server.ts', ...method]),
      stdioPf360,
    );
    expect(stdioPf360.matching('POST', pf360Paths.schedule)[0]?.headers.authorization).toBe(sensitive.pf360Token);
  });
});

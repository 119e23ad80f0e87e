/**
 * `npm run mcp` driven by the official MCP SDK client over stdio: it lists the 13 tools as the
 * specs define them (with output schemas) and runs the booking flow against the local stack
 * (Prism behind a recording proxy, DynamoDB Local), with the same guards as the Bedrock path;
 * this client cannot elicit, so the booking takes the two-step confirmation.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpTools } from '../../generated/catalog/mcp-tools.js';
import { repoRoot } from '../../scripts/lib/specs.js';
import { mcpServerTools } from '../../src/mcp/tools.js';
import { pf360Paths, startUpstreamProxy, type UpstreamProxy } from '../helpers/upstream-proxy.js';
import { captureOutput } from '../setup/log-capture.js';

let pf360: UpstreamProxy;
let client: Client;
let transport: StdioClientTransport;

beforeAll(async () => {
  pf360 = await startUpstreamProxy(process.env.PF360_BASE_URL ?? '');
  const env = Object.fromEntries(
    Object.entries({ ...process.env, PF360_BASE_URL: pf360.url, ENABLE_REAL_CONFIRM: 'true' }).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  transport = new StdioClientTransport({
    command: 'npm',
    args: [
      'run',
      'mcp',
      '--',
      '--customer-id',
      '1645975',
      '--client-id',
      '09PF05VD',
      '--pf360-token',
      'mcp-test-token',
    ],
    cwd: repoRoot,
    env,
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => captureOutput(chunk.toString('utf8')));
  client = new Client({ name: 'pf360-test-client', version: '1.0.0' });
  await client.connect(transport);
  // Listed first, so the client validates every structured result against its outputSchema.
  await client.listTools();
}, 60_000);

afterAll(async () => {
  await client?.close();
  await pf360.close();
});

function parse(result: Awaited<ReturnType<Client['callTool']>>): Record<string, unknown> {
  const [first] = result.content as { type: string; text: string }[];
  return JSON.parse(first?.text ?? '{}');
}

describe('npm run mcp', () => {
  it('lists the 13 operations with the specs’ names, descriptions and input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(mcpTools.map((t) => t.tool.name).sort());
    for (const tool of tools) {
      const expected = mcpTools.find((t) => t.tool.name === tool.name)?.tool;
      expect(tool.description).toBe(expected?.description);
      expect(tool.annotations).toEqual(expected?.annotations);
      expect(tool.outputSchema?.type).toBe('object');
    }
    expect(tools).toEqual(mcpServerTools);
    const confirm = tools.find((t) => t.name === 'confirm_appointment');
    expect(confirm?.description).toMatch(/explicit yes/);
    expect(confirm?.annotations?.readOnlyHint).toBe(false);
  });

  it('runs the booking flow against the local stack', async () => {
    const list = parse(await client.callTool({ name: 'list_projects', arguments: {} }));
    expect(list.total).toBe(4);
    pf360.reset();
    const early = await client.callTool({
      name: 'confirm_appointment',
      arguments: { project_id: '12350', date: '2026-12-02', time: '10:00 AM' },
    });
    expect(early.isError).toBe(true);
    expect(parse(early).error_type).toBe('dates_not_fetched');

    const dates = parse(await client.callTool({ name: 'get_available_dates', arguments: { project_id: '12350' } }));
    expect(dates.weather_sensitive).toBe(true);
    const slots = parse(
      await client.callTool({ name: 'get_time_slots', arguments: { project_id: '12350', date: '2026-12-02' } }),
    );
    expect(slots.slots).toContain('10:00 AM');
    const notOffered = await client.callTool({
      name: 'confirm_appointment',
      arguments: { project_id: '12350', date: '2026-12-02', time: '12:30 PM' },
    });
    expect(notOffered.isError).toBe(true);
    expect(parse(notOffered).error_type).toBe('slot_not_offered');
    expect(pf360.matching('POST', pf360Paths.schedule)).toHaveLength(0);

    const asked = await client.callTool({
      name: 'confirm_appointment',
      arguments: { project_id: '12350', date: '2026-12-02', time: '10:00 AM' },
    });
    expect(asked.structuredContent).toMatchObject({ confirmation_required: true });
    expect(pf360.matching('POST', pf360Paths.schedule)).toHaveLength(0);
    const booked = await client.callTool({
      name: 'confirm_appointment',
      arguments: {
        project_id: '12350',
        date: '2026-12-02',
        time: '10:00 AM',
        confirmation_id: (asked.structuredContent as { confirmation_id: string }).confirmation_id,
      },
    });
    expect(booked.isError).toBeFalsy();
    expect(parse(booked)).toMatchObject({ scheduled_date: '2026-12-02', scheduled_time: '10:00 AM', test_mode: false });
    const writes = pf360.matching('POST', pf360Paths.schedule);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.headers.authorization).toBe('mcp-test-token');

    const status = parse(await client.callTool({ name: 'get_appointment_status', arguments: { project_id: '12350' } }));
    expect(status).toMatchObject({ scheduled_date: '2026-12-02', source: 'conversation' });
  });

  it('ignores identity in arguments and refuses other customers’ projects and unknown tools', async () => {
    pf360.reset();
    const forged = parse(
      await client.callTool({ name: 'list_projects', arguments: { customer_id: '7777777', client_id: 'EVILCORP' } }),
    );
    expect(forged.total).toBe(4);
    expect(pf360.requests[0]?.path).toBe('/dashboard/get/09PF05VD/1645975');
    const foreign = await client.callTool({ name: 'get_project_details', arguments: { project_id: '99999' } });
    expect(foreign.isError).toBe(true);
    expect(parse(foreign).error_type).toBe('forbidden');
    const unknown = await client.callTool({ name: 'drop_tables', arguments: {} });
    expect(unknown.isError).toBe(true);
    expect(parse(unknown).error_type).toBe('unknown_tool');
  });
});

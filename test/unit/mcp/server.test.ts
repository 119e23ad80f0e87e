/**
 * The MCP server factory (src/mcp/server.ts) driven by the SDK's own client over its in-memory
 * transport, on the real handlers with in-memory adapters: the tool list, structured results the
 * client validates against each outputSchema, and both ways a write waits for the customer's yes
 * — elicitation when the client can, the two-step confirmation id when it cannot.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { type ElicitRequest, ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { describe, expect, it } from 'vitest';
import { mcpTools } from '../../../generated/catalog/mcp-tools.js';
import { summarize } from '../../../src/chat/confirmations.js';
import { confirmationForm, createMcpServer, mcpCustomerSessionId, toCallResult } from '../../../src/mcp/server.js';
import { mcpServerTools } from '../../../src/mcp/tools.js';
import { createLogger } from '../../../src/observability/logger.js';
import { writeTools } from '../../../src/tools/invoke-tool.js';
import { confirmationIdProperty } from '../../../src/tools/two-step-schema.js';
import { inMemoryActions } from '../../helpers/in-memory-actions.js';
import { sensitive } from '../../helpers/sensitive.js';

const who = { customerId: '1645975', clientId: '09PF05VD', clientName: 'projectsforce-validation' };
const booking = { project_id: '12350', date: '2026-12-02', time: '10:00 AM' };

type CallResult = Omit<Awaited<ReturnType<Client['callTool']>>, 'structuredContent'> & {
  structuredContent?: Record<string, unknown>;
};

type Elicit = (request: ElicitRequest) => Promise<ElicitResult>;

/** The SDK client's own validator (Ajv), counting what it validated and how that came out. */
function countingValidator() {
  const inner = new AjvJsonSchemaValidator();
  const outcomes: boolean[] = [];
  const validator: jsonSchemaValidator = {
    getValidator: (schema) => {
      const validate = inner.getValidator(schema);
      return (input) => {
        const result = validate(input);
        outcomes.push(result.valid);
        return result as never;
      };
    },
  };
  return { validator, outcomes };
}

interface World {
  client: Client;
  /** One entry per structuredContent the client validated: true when it matched the outputSchema. */
  validated: boolean[];
  actions: ReturnType<typeof inMemoryActions>;
  elicited: ElicitRequest[];
  call: (name: string, args?: Record<string, unknown>) => Promise<CallResult>;
  writes: () => { method: string; projectId?: string }[];
  stored: () => ReturnType<ReturnType<typeof inMemoryActions>['sessions']['peek']>;
}

async function connect(
  options: { elicit?: Elicit; pf360Token?: string; actions?: ReturnType<typeof inMemoryActions> } = {},
): Promise<World> {
  const actions = options.actions ?? inMemoryActions();
  const server = createMcpServer({
    invoke: actions.invoke,
    sessions: actions.sessions,
    stage: 'test',
    clock: () => new Date(),
    logger: createLogger('test-mcp'),
    customerOf: () => ({
      who,
      pf360Token: 'pf360Token' in options ? options.pf360Token : sensitive.pf360Token,
      pf360TokenField: 'X-PF360-Token',
    }),
    elicitationTimeoutMs: 2000,
  });
  const elicited: ElicitRequest[] = [];
  const { validator, outcomes } = countingValidator();
  const client = new Client(
    { name: 'pf360-unit-client', version: '1.0.0' },
    { capabilities: options.elicit ? { elicitation: { form: {} } } : {}, jsonSchemaValidator: validator },
  );
  const { elicit } = options;
  if (elicit) {
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      elicited.push(request);
      return elicit(request);
    });
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  // listTools first: the client then validates every structuredContent against its outputSchema.
  await client.listTools();
  const sessionId = mcpCustomerSessionId(who);
  return {
    client,
    validated: outcomes,
    actions,
    elicited,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallResult,
    writes: () =>
      actions.pf360Calls.filter((c) => c.method === 'schedule' || c.method === 'cancel' || c.method === 'addNote'),
    stored: () => actions.sessions.peek(sessionId),
  };
}

function body(result: CallResult): Record<string, unknown> {
  const [first] = result.content as { type: string; text: string }[];
  return JSON.parse(first?.text ?? '{}');
}

/** The reads a booking needs first, in the customer's session. */
async function fetchSlots(w: World) {
  await w.call('list_projects');
  await w.call('get_available_dates', { project_id: booking.project_id });
  await w.call('get_time_slots', { project_id: booking.project_id, date: booking.date });
}

describe('the MCP tool list', () => {
  it('is the catalog: 13 tools with their outputSchema and annotations, write tools with confirmation_id', async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(13);
    for (const tool of tools) {
      const { tool: catalog } = mcpTools.find((t) => t.tool.name === tool.name) ?? {};
      expect(tool.description).toBe(catalog?.description);
      expect(tool.annotations).toEqual(catalog?.annotations);
      expect(tool.outputSchema?.type).toBe('object');
      if (writeTools.has(tool.name)) {
        expect(tool.inputSchema.properties?.confirmation_id).toEqual(confirmationIdProperty);
        expect(tool.outputSchema?.anyOf).toEqual([
          catalog?.outputSchema,
          expect.objectContaining({ required: expect.arrayContaining(['confirmation_id']) }),
          expect.objectContaining({ required: expect.arrayContaining(['confirmed', 'answer']) }),
        ]);
      } else {
        expect(tool).toMatchObject({ inputSchema: catalog?.inputSchema, outputSchema: catalog?.outputSchema });
      }
    }
    expect(tools).toEqual(mcpServerTools);
  });
});

describe('a tool call', () => {
  it('answers every read with its body as structuredContent and as text, valid against the outputSchema', async () => {
    const w = await connect();
    const reads: [string, Record<string, unknown>][] = [
      ['list_projects', {}],
      ['get_available_dates', { project_id: booking.project_id }],
      ['get_time_slots', { project_id: booking.project_id, date: booking.date }],
      ['get_business_hours', {}],
      ['get_project_details', { project_id: '12345' }],
      ['get_appointment_status', { project_id: '12345' }],
      ['get_working_hours', {}],
      ['get_weather', { project_id: '12350' }],
      ['list_notes', { project_id: '12345' }],
    ];
    expect(reads.map(([name]) => name).sort()).toEqual(
      mcpTools
        .map((t) => t.tool.name)
        .filter((n) => !writeTools.has(n))
        .sort(),
    );
    for (const [name, args] of reads) {
      const result = await w.call(name, args);
      expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).toBeFalsy();
      expect(result.structuredContent).toEqual(body(result));
    }
    // The client checked each against the tool's outputSchema (elicitation answers are checked too).
    expect(w.validated).toEqual(reads.map(() => true));
  });

  it('would be refused by the client if a result did not match its outputSchema', async () => {
    const w = await connect();
    const tool = mcpServerTools.find((t) => t.name === 'list_projects');
    const check = new AjvJsonSchemaValidator().getValidator(tool?.outputSchema as never);
    const result = await w.call('list_projects');
    expect(check(result.structuredContent).valid).toBe(true);
    expect(check({ ...result.structuredContent, total: 'four' }).valid).toBe(false);
    expect(check({ projects: [] }).valid).toBe(false);
  });

  it('answers an error with isError and the error body as text, no structuredContent', async () => {
    const w = await connect();
    const result = await w.call('get_project_details', { project_id: '99999' });
    expect(result).toMatchObject({ isError: true });
    expect(result.structuredContent).toBeUndefined();
    expect(body(result)).toMatchObject({ error_type: 'forbidden' });
    const unknown = await w.call('drop_tables');
    expect(body(unknown)).toMatchObject({ error_type: 'unknown_tool' });
  });

  it('works for the customer the server was given, whatever the arguments name', async () => {
    const w = await connect();
    const result = await w.call('list_projects', { customer_id: '7777777', client_id: 'EVILCORP' });
    expect(result.isError).toBeFalsy();
    expect(new Set(w.actions.pf360Customers)).toEqual(new Set(['09PF05VD/1645975']));
    expect(w.stored()).toMatchObject({ customerId: who.customerId, clientId: who.clientId });
  });

  it('needs the PF360 token to start the customer’s session, and refreshes it when sent', async () => {
    const actions = inMemoryActions();
    const without = await connect({ actions, pf360Token: undefined });
    const refused = await without.call('list_projects');
    expect(refused.isError).toBe(true);
    expect(body(refused)).toMatchObject({ error_type: 'validation_error', field: 'X-PF360-Token' });

    await (await connect({ actions })).call('list_projects');
    const later = await connect({ actions, pf360Token: sensitive.rotatedToken });
    expect((await later.call('list_projects')).isError).toBeFalsy();
    expect(later.stored()?.authToken).toBe(sensitive.rotatedToken);
    // A live session needs no token to carry on.
    expect((await (await connect({ actions, pf360Token: undefined })).call('list_projects')).isError).toBeFalsy();
  });
});

describe('a write with a client that cannot elicit (two steps)', () => {
  it('asks first, changing nothing; the second call with the id books; the id works once', async () => {
    const w = await connect();
    await fetchSlots(w);
    const asked = await w.call('confirm_appointment', booking);
    expect(asked.isError).toBeFalsy();
    expect(asked.structuredContent).toMatchObject({
      confirmation_required: true,
      confirmation_id: expect.stringMatching(/^c-/),
      summary: summarize('confirm_appointment', booking, w.stored() as never),
    });
    expect(w.writes()).toEqual([]);
    const id = asked.structuredContent?.confirmation_id;

    const booked = await w.call('confirm_appointment', { ...booking, confirmation_id: id });
    expect(booked.structuredContent).toMatchObject({ scheduled_date: booking.date, scheduled_time: booking.time });
    expect(w.writes()).toEqual([{ method: 'schedule', projectId: booking.project_id }]);

    const replayed = await w.call('confirm_appointment', { ...booking, confirmation_id: id });
    expect(replayed.isError).toBe(true);
    expect(body(replayed)).toMatchObject({ error_type: 'confirmation_not_found' });
    expect(w.writes()).toHaveLength(1);
    // Both answers with structuredContent, the question and the booking, matched the outputSchema.
    expect(w.validated.slice(-2)).toEqual([true, true]);
  });

  it.each([
    ['forged', { ...booking, confirmation_id: 'c-AAAAAAAAAAAAAAAAAAAAAA' }, 'confirmation_not_found'],
    ['for other arguments', { ...booking, time: '01:00 PM' }, 'confirmation_mismatch'],
  ])('refuses an id %s and changes nothing', async (_what, args, errorType) => {
    const w = await connect();
    await fetchSlots(w);
    const id = (await w.call('confirm_appointment', booking)).structuredContent?.confirmation_id;
    const refused = await w.call('confirm_appointment', { confirmation_id: id, ...args });
    expect(refused.isError).toBe(true);
    expect(body(refused)).toMatchObject({ error_type: errorType });
    expect(w.writes()).toEqual([]);
  });

  it('answers every write’s both calls in its outputSchema: reschedule, cancel, add a note', async () => {
    const w = await connect();
    await w.call('list_projects');
    const twoSteps = async (name: string, args: Record<string, unknown>) => {
      const asked = await w.call(name, args);
      expect(asked.structuredContent, JSON.stringify(asked.content)).toMatchObject({ confirmation_required: true });
      const done = await w.call(name, { ...args, confirmation_id: asked.structuredContent?.confirmation_id });
      expect(done.isError, JSON.stringify(done.content)).toBeFalsy();
      return done.structuredContent;
    };
    expect(await twoSteps('add_note', { project_id: '12345', note_text: sensitive.gateNote })).toMatchObject({
      note_text: sensitive.gateNote,
    });
    const dates = (await w.call('get_available_dates', { project_id: '12345' })).structuredContent as {
      dates: { date: string }[];
    };
    const date = dates.dates[0]?.date ?? '';
    const slots = (await w.call('get_time_slots', { project_id: '12345', date })).structuredContent as {
      slots: string[];
    };
    const moved = await twoSteps('reschedule_appointment', { project_id: '12345', date, time: slots.slots[0] });
    expect(moved).toMatchObject({ scheduled_date: date });
    expect(await twoSteps('cancel_appointment', { project_id: '12345' })).toMatchObject({ cancelled: true });
  });
});

describe('a write with a client that can elicit', () => {
  const answers: [string, ElicitResult, string][] = [
    ['declines', { action: 'decline' }, 'declined'],
    ['cancels', { action: 'cancel' }, 'cancelled'],
    ['accepts with deny', { action: 'accept', content: { decision: 'deny' } }, 'denied'],
  ];

  it('asks the customer with the summary and books only on confirm', async () => {
    const w = await connect({ elicit: async () => ({ action: 'accept', content: { decision: 'confirm' } }) });
    await fetchSlots(w);
    const booked = await w.call('confirm_appointment', booking);
    expect(booked.structuredContent).toMatchObject({ scheduled_date: booking.date, scheduled_time: booking.time });
    expect(w.elicited).toHaveLength(1);
    const params = w.elicited[0]?.params as ReturnType<typeof confirmationForm>;
    expect(params.message).toContain(summarize('confirm_appointment', booking, w.stored() as never));
    expect(params.requestedSchema).toEqual(confirmationForm({ summary: '' }).requestedSchema);
    expect(w.writes()).toEqual([{ method: 'schedule', projectId: booking.project_id }]);
    expect(w.stored()?.pendingConfirmation).toBeUndefined();
  });

  it.each(answers)('changes nothing when the customer %s, and says so', async (_what, answer, expected) => {
    const w = await connect({ elicit: async () => answer });
    await fetchSlots(w);
    const result = await w.call('confirm_appointment', booking);
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      confirmed: false,
      answer: expected,
      operation: 'confirm_appointment',
      message: expect.stringContaining('nothing was changed'),
    });
    expect(w.writes()).toEqual([]);
    // The question is used up: its id cannot confirm the change afterwards.
    expect(w.stored()?.pendingConfirmation).toBeUndefined();
  });

  it('changes nothing when the question cannot be answered (the client fails, or answers out of form)', async () => {
    for (const elicit of [
      async () => {
        throw new Error('the user interface is gone');
      },
      async () => ({ action: 'accept' as const, content: { decision: 'maybe' } }),
    ]) {
      const w = await connect({ elicit });
      await fetchSlots(w);
      const result = await w.call('confirm_appointment', booking);
      expect(result.structuredContent).toMatchObject({ confirmed: false, answer: 'not_answered' });
      expect(w.writes()).toEqual([]);
    }
  });

  it('asks nothing about a change that would be refused, and ignores a confirmation_id', async () => {
    const w = await connect({ elicit: async () => ({ action: 'accept', content: { decision: 'confirm' } }) });
    await fetchSlots(w);
    const refused = await w.call('confirm_appointment', { ...booking, time: '04:45 PM' });
    expect(body(refused)).toMatchObject({ error_type: 'slot_not_offered' });
    expect(w.elicited).toEqual([]);
    const deny = await connect({ actions: w.actions, elicit: async () => ({ action: 'decline' }) });
    const sent = await deny.call('confirm_appointment', { ...booking, confirmation_id: 'c-AAAAAAAAAAAAAAAAAAAAAA' });
    expect(sent.structuredContent).toMatchObject({ confirmed: false, answer: 'declined' });
    expect(deny.elicited).toHaveLength(1);
    expect(w.writes()).toEqual([]);
  });
});

describe('toCallResult', () => {
  it('keeps an error out of structuredContent', () => {
    expect(toCallResult({ status: 404, body: { error: 'x', error_type: 'not_found' } })).toEqual({
      content: [{ type: 'text', text: '{"error":"x","error_type":"not_found"}' }],
      isError: true,
    });
  });
});

/**
 * `npm run mcp [-- --customer-id <id> --client-id <id> --client-name <name> --pf360-token <t>]`
 *
 * A Model Context Protocol server over stdio (the official SDK) for driving real conversations
 * with any MCP-capable client against the local stack (`npm start`). It opens one session for
 * the chosen customer (flags, or MCP_CUSTOMER_ID / MCP_CLIENT_ID / MCP_CLIENT_NAME /
 * MCP_PF360_TOKEN; the demo customer by default) and exposes the 13 operations as tools, running
 * the same handlers as the Lambdas: the same validation, ownership checks, offered-slot guard,
 * idempotent and audited writes. Write tools say in their description that they need the
 * customer's explicit confirmation. stdout carries the protocol; logs go to stderr.
 */
import { Writable } from 'node:stream';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { mcpTools } from '../../generated/catalog/mcp-tools.js';
import { newSessionId } from '../../src/domain/session-id.js';
import { createToolInvoker } from '../../src/tools/invoke-tool.js';
import { readCommandLine } from '../lib/cli.js';
import { configuredSessions, demoCustomer, takeStdout, useLocalStackEnv } from '../local/env.js';
import { createLocalActionHandlers } from '../local/handlers.js';

// The protocol owns stdout: keep a handle on it for the transport and send everything else
// (the handlers' JSON logs, SDK warnings) to stderr.
const protocolOut = takeStdout();
const transportOut = new Writable({
  write(chunk, _encoding, done) {
    protocolOut(chunk, done);
  },
});

const { values: flags } = readCommandLine({
  name: 'mcp',
  usage: 'usage: npm run mcp -- [--customer-id <id>] [--client-id <id>] [--client-name <name>] [--pf360-token <token>]',
  summary:
    'An MCP server over stdio exposing the 13 operations as tools, for one session of the chosen customer (the demo customer by default) against the local stack of npm start.',
  options: {
    'customer-id': { type: 'string' },
    'client-id': { type: 'string' },
    'client-name': { type: 'string' },
    'pf360-token': { type: 'string' },
  },
  optionHelp: {
    'customer-id': 'the customer (or MCP_CUSTOMER_ID)',
    'client-id': 'the tenant code (or MCP_CLIENT_ID)',
    'client-name': 'the portal subdomain (or MCP_CLIENT_NAME)',
    'pf360-token': "the customer's PF360 token (or MCP_PF360_TOKEN)",
  },
});
const identity = {
  customerId: flags['customer-id'] ?? process.env.MCP_CUSTOMER_ID ?? demoCustomer.customerId,
  clientId: flags['client-id'] ?? process.env.MCP_CLIENT_ID ?? demoCustomer.clientId,
  clientName: flags['client-name'] ?? process.env.MCP_CLIENT_NAME ?? demoCustomer.clientName,
  authToken: flags['pf360-token'] ?? process.env.MCP_PF360_TOKEN ?? 'local-mcp-token',
};

useLocalStackEnv();
const { store: sessions, stage } = configuredSessions();
const session = await sessions.create({ sessionId: newSessionId(), ...identity, stage }, new Date());
const invoke = createToolInvoker(createLocalActionHandlers());
process.stderr.write(`pf360 MCP server: session for customer ${identity.customerId} ready; ${mcpTools.length} tools\n`);

const server = new Server(
  { name: 'pf360-scheduling', version: '1.0.0' },
  {
    capabilities: { tools: {} },
    instructions:
      'Tools for a ProjectsForce customer who is already signed in: list their projects, offer dates and time slots, book, reschedule or cancel appointments, check status, hours and weather, add notes. Never ask for customer ids or tokens. Offer only dates and slots the tools returned. Before any tool that changes data, read the change back and get an explicit yes.',
  },
);

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: mcpTools.map((t) => structuredClone(t.tool) as (typeof mcpTools)[number]['tool'] & Record<string, unknown>),
}));

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const { status, body } = await invoke(request.params.name, request.params.arguments ?? {}, session.sessionId);
  return { content: [{ type: 'text', text: JSON.stringify(body) }], isError: status >= 400 };
});

await server.connect(new StdioServerTransport(process.stdin, transportOut));

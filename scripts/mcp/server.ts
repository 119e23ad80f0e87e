/**
 * `npm run mcp [-- --customer-id <id> --client-id <id> --client-name <name> --pf360-token <t>]`
 *
 * A Model Context Protocol server over stdio (the official SDK) for driving real conversations
 * with any MCP-capable client against the local stack (`npm start`). It works for the chosen
 * customer (flags, or MCP_CUSTOMER_ID / MCP_CLIENT_ID / MCP_CLIENT_NAME / MCP_PF360_TOKEN; the
 * demo customer by default) — whoever starts it chooses; it is a development tool — and exposes
 * the 13 operations as tools, running the same handlers as the Lambdas: the same validation,
 * ownership checks, offered-slot guard, idempotent and audited writes. It is the same server as
 * `/mcp` on the local gateway (src/mcp/server.ts): output schemas, annotations, and writes only
 * after the customer's yes (elicitation, or the two-step confirmation id). The customer's session
 * is theirs across runs (derived from the customer), so a client that starts one server per call
 * (the MCP Inspector CLI) can still fetch dates, then book with a confirmation id. stdout carries
 * the protocol; logs go to stderr.
 */
import { Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { mcpServerTools } from '../../src/mcp/tools.js';
import { createLogger } from '../../src/observability/logger.js';
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
    'An MCP server over stdio exposing the 13 operations as tools, working in the session of the chosen customer (the demo customer by default) against the local stack of npm start; writes run only after the customer confirms (elicitation, or a confirmation_id on a second call).',
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
const { authToken, ...who } = identity;
const server = createMcpServer({
  invoke: createToolInvoker(createLocalActionHandlers()),
  sessions,
  stage,
  clock: () => new Date(),
  logger: createLogger('pf360-mcp'),
  customerOf: () => ({ who, pf360Token: authToken, pf360TokenField: '--pf360-token' }),
});
process.stderr.write(`pf360 MCP server: tools for customer ${identity.customerId}; ${mcpServerTools.length} tools\n`);

await server.connect(new StdioServerTransport(process.stdin, transportOut));

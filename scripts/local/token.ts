/**
 * `npm run token -- [--sub 1645975] [--client-id 09PF05VD] [--client-name projectsforce-validation]
 *                   [--given-name Maria] [--zoneinfo America/New_York] [--ttl 3600] [--json]`
 * Prints a JWT for the local chat API and MCP endpoint, signed with the local development secret
 * (or JWT_HS256_SECRET/JWT_ISSUER/JWT_AUDIENCE when set). With --json it prints what POST
 * /dev/token answers: the JWT with the PF360 token a new session needs (X-PF360-Token), which
 * Prism accepts. Local use only.
 */
import { integerOption, readCommandLine } from '../lib/cli.js';
import { signLocalToken } from './chat.js';
import { demoCustomer } from './env.js';
import { localPf360Token } from './gateway.js';

const command = {
  name: 'token',
  usage:
    'usage: npm run token -- [--sub <id>] [--client-id <id>] [--client-name <name>] [--given-name <name>] [--zoneinfo <zone>] [--ttl <s>] [--json]',
  summary:
    'Prints a JWT for the local chat API and /mcp, signed with the local development secret (or JWT_HS256_SECRET, JWT_ISSUER, JWT_AUDIENCE when set). Local use only.',
  options: {
    sub: { type: 'string', default: demoCustomer.customerId },
    'client-id': { type: 'string', default: demoCustomer.clientId },
    'client-name': { type: 'string', default: demoCustomer.clientName },
    'given-name': { type: 'string', default: 'Maria' },
    zoneinfo: { type: 'string', default: 'America/New_York' },
    ttl: { type: 'string' },
    json: { type: 'boolean' },
  },
  optionHelp: {
    sub: 'the customer id (claim sub)',
    'client-id': 'the tenant code',
    'client-name': 'the portal subdomain',
    'given-name': 'the first name the agent may greet with',
    zoneinfo: "the customer's time zone",
    ttl: 'seconds until the token expires (default 3600)',
    json: 'print {"token", "pf360_token", "customer_id", "expires_in"} as POST /dev/token does',
  },
} as const;
const { values: flags } = readCommandLine(command);
const ttl = integerOption(command, 'ttl', flags.ttl, 3600, 1, 31_536_000);

const token = await signLocalToken(
  {
    sub: flags.sub,
    client_id: flags['client-id'],
    client_name: flags['client-name'],
    given_name: flags['given-name'],
    zoneinfo: flags.zoneinfo,
  },
  ttl,
);
process.stdout.write(
  flags.json
    ? `${JSON.stringify({ token, pf360_token: localPf360Token, customer_id: flags.sub, expires_in: ttl })}\n`
    : `${token}\n`,
);

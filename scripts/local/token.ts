/**
 * `npm run token -- [--sub 1645975] [--client-id 09PF05VD] [--client-name projectsforce-validation]
 *                   [--given-name Maria] [--zoneinfo America/New_York] [--ttl 3600]`
 * Prints a JWT for the local chat API, signed with the local development secret (or
 * JWT_HS256_SECRET/JWT_ISSUER/JWT_AUDIENCE when set). Local use only.
 */
import { SignJWT } from 'jose';
import { localJwt } from './chat.js';
import { demoCustomer } from './env.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};

const ttl = Number(flag('ttl', '3600'));
if (!Number.isInteger(ttl) || ttl < 1) {
  process.stderr.write(`token: --ttl must be a whole number of seconds, got "${flag('ttl', '')}"\n`);
  process.exit(2);
}

const secret = process.env.JWT_HS256_SECRET ?? localJwt.JWT_HS256_SECRET;
const token = await new SignJWT({
  client_id: flag('client-id', demoCustomer.clientId),
  client_name: flag('client-name', demoCustomer.clientName),
  given_name: flag('given-name', 'Maria'),
  zoneinfo: flag('zoneinfo', 'America/New_York'),
})
  .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
  .setSubject(flag('sub', demoCustomer.customerId))
  .setIssuer(process.env.JWT_ISSUER ?? localJwt.JWT_ISSUER)
  .setAudience(process.env.JWT_AUDIENCE ?? localJwt.JWT_AUDIENCE)
  .setIssuedAt()
  .setExpirationTime(`${ttl}s`)
  .sign(new TextEncoder().encode(secret));
process.stdout.write(`${token}\n`);

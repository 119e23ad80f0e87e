/** The chat API's token verifier against a key set served over HTTP, as a deployed stage's portal serves it. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../src/chat/auth.js';
import { appError } from '../helpers/errors.js';

const issuer = 'https://portal.example.com';
const audience = 'pf360-chat';
const claims = {
  client_id: '09PF05VD',
  client_name: 'projectsforce-validation',
  given_name: 'Maria',
  zoneinfo: 'America/Chicago',
};
const now = () => Math.floor(Date.now() / 1000);
type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

describe('JWKS (deployed stages)', () => {
  let server: Server;
  let keys: JWK[] = [];
  let fetches = 0;
  let jwksUrl = '';
  const pairs: Awaited<ReturnType<typeof generateKeyPair>>[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) pairs.push(await generateKeyPair('RS256', { extractable: true }));
    keys = [{ ...(await exportJWK(pairs[0]?.publicKey as Key)), kid: 'k1', alg: 'RS256', use: 'sig' }];
    server = createServer((req, res) => {
      fetches += 1;
      if (req.url === '/broken') return void res.writeHead(500).end('upstream down');
      if (req.url === '/garbage') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
      if (req.url === '/not-a-key-set') return void res.writeHead(200).end('{"hello":"world"}');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const rsToken = (kid: string, key: Key) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('1645975')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime(now() + 600)
      .sign(key);

  it('verifies with the key set, fetched once for several tokens', async () => {
    const verify = createTokenVerifier({ jwksUrl, issuer, audience, clockToleranceSeconds: 30 });
    const before = fetches;
    const token = await rsToken('k1', pairs[0]?.privateKey as Key);
    expect((await verify(`Bearer ${token}`)).customerId).toBe('1645975');
    expect((await verify(`Bearer ${token}`)).clientId).toBe('09PF05VD');
    expect(fetches - before).toBe(1);
  });

  it('refetches the key set for an unknown kid after a rotation', async () => {
    const verify = createTokenVerifier({ jwksUrl, issuer, audience, clockToleranceSeconds: 30, jwksCooldownMs: 50 });
    await verify(`Bearer ${await rsToken('k1', pairs[0]?.privateKey as Key)}`);
    await new Promise((r) => setTimeout(r, 60)); // past the refetch cooldown
    const before = fetches;
    // The portal rotates: k2 is published next to k1.
    keys = [...keys, { ...(await exportJWK(pairs[1]?.publicKey as Key)), kid: 'k2', alg: 'RS256', use: 'sig' }];
    const rotated = await rsToken('k2', pairs[1]?.privateKey as Key);
    expect((await verify(`Bearer ${rotated}`)).customerId).toBe('1645975');
    expect(fetches - before).toBe(1);
  });

  it('refuses a kid that is not in the key set even after refetching', async () => {
    const stranger = await generateKeyPair('RS256');
    const verify = createTokenVerifier({ jwksUrl, issuer, audience, clockToleranceSeconds: 30 });
    const error = await appError(verify(`Bearer ${await rsToken('k9', stranger.privateKey)}`));
    expect(error.status).toBe(401);
  });

  it('refuses algorithm confusion: an HS256 token keyed with the public key', async () => {
    const verify = createTokenVerifier({ jwksUrl, issuer, audience, clockToleranceSeconds: 30 });
    const pem = await exportSPKI(pairs[0]?.publicKey as Key);
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setSubject('1645975')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime(now() + 600)
      .sign(new TextEncoder().encode(pem));
    const error = await appError(verify(`Bearer ${forged}`));
    expect(error.status).toBe(401);
    expect(error.errorType).toBe('unauthorized');
  });

  it('answers 503 (not 401) when the key set cannot be fetched', async () => {
    const verify = createTokenVerifier({
      jwksUrl: 'http://127.0.0.1:9/jwks.json',
      issuer,
      audience,
      clockToleranceSeconds: 30,
    });
    const error = await appError(verify(`Bearer ${await rsToken('k1', pairs[0]?.privateKey as Key)}`));
    expect(error.status).toBe(503);
    expect(error.errorType).toBe('auth_unavailable');
  });

  it.each(['/broken', '/garbage', '/not-a-key-set'])(
    'answers 503 (not 401) when the key-set server answers %s',
    async (path) => {
      const verify = createTokenVerifier({
        jwksUrl: new URL(path, jwksUrl).toString(),
        issuer,
        audience,
        clockToleranceSeconds: 30,
      });
      const error = await appError(verify(`Bearer ${await rsToken('k1', pairs[0]?.privateKey as Key)}`));
      expect(error.status).toBe(503);
      expect(error.errorType).toBe('auth_unavailable');
    },
  );
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../../src/chat/auth.js';
import { appError } from '../../helpers/errors.js';

const issuer = 'https://portal.example.com';
const audience = 'pf360-chat';
const secret = 'a-local-secret-that-is-long-enough-0123';
const claims = {
  client_id: '09PF05VD',
  client_name: 'projectsforce-validation',
  given_name: 'Maria',
  zoneinfo: 'America/Chicago',
};
const now = () => Math.floor(Date.now() / 1000);
type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

function hsToken(
  overrides: { iss?: string; aud?: string; exp?: number; nbf?: number; key?: string; claims?: object } = {},
) {
  const jwt = new SignJWT({ ...claims, ...(overrides.claims ?? {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('1645975')
    .setIssuer(overrides.iss ?? issuer)
    .setAudience(overrides.aud ?? audience)
    .setIssuedAt()
    .setExpirationTime(overrides.exp ?? now() + 600);
  if (overrides.nbf) jwt.setNotBefore(overrides.nbf);
  return jwt.sign(new TextEncoder().encode(overrides.key ?? secret));
}

describe('HS256 (local use)', () => {
  const verify = createTokenVerifier({ hs256Secret: secret, issuer, audience, clockToleranceSeconds: 30 });

  it('maps a valid token to the customer identity', async () => {
    expect(await verify(`Bearer ${await hsToken()}`)).toEqual({
      customerId: '1645975',
      clientId: '09PF05VD',
      clientName: 'projectsforce-validation',
      firstName: 'Maria',
      timeZone: 'America/Chicago',
    });
  });

  it('refuses an expired token as token_expired', async () => {
    const error = await appError(verify(`Bearer ${await hsToken({ exp: now() - 120 })}`));
    expect(error.status).toBe(401);
    expect(error.errorType).toBe('token_expired');
  });

  it('accepts a token expired within the clock tolerance', async () => {
    expect((await verify(`Bearer ${await hsToken({ exp: now() - 10 })}`)).customerId).toBe('1645975');
  });

  it('refuses a token that is not yet valid', async () => {
    const error = await appError(verify(`Bearer ${await hsToken({ nbf: now() + 600 })}`));
    expect(error.errorType).toBe('unauthorized');
  });

  it.each([
    ['audience', { aud: 'someone-else' }],
    ['issuer', { iss: 'https://evil.example.com' }],
    ['signature', { key: 'another-secret-that-is-long-enough-98765' }],
  ])('refuses a wrong %s', async (_what, overrides) => {
    const error = await appError(verify(`Bearer ${await hsToken(overrides)}`));
    expect(error.status).toBe(401);
  });

  it('refuses alg none', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: '1645975', iss: issuer, aud: audience, exp: now() + 600, ...claims })}.`;
    const error = await appError(verify(`Bearer ${unsigned}`));
    expect(error.status).toBe(401);
    expect(error.errorType).toBe('unauthorized');
  });

  it('refuses an RS256 token as unauthorized: only HS256 is allowed in this mode', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const signed = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('1645975')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime(now() + 600)
      .sign(privateKey);
    const error = await appError(verify(`Bearer ${signed}`));
    expect(error.status).toBe(401);
    expect(error.errorType).toBe('unauthorized');
  });

  it('refuses a missing or malformed Authorization header', async () => {
    for (const header of [undefined, '', 'Basic abc', 'Bearer', 'Bearer not-a-jwt']) {
      expect((await appError(verify(header))).status).toBe(401);
    }
  });

  it.each([
    ['client_id', { client_id: undefined }],
    ['client_name', { client_name: 'has spaces' }],
  ])('refuses a token without a valid %s claim', async (claim, override) => {
    const error = await appError(verify(`Bearer ${await hsToken({ claims: override })}`));
    expect(error.message).toContain(claim);
  });
});

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

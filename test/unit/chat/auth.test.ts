import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
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

/**
 * Verifies the portal's JWT with jose and maps its claims to the customer's identity:
 *   sub → customer_id, client_id → client_id, client_name → client_name,
 *   given_name (optional) → first name, zoneinfo (optional) → time zone.
 * Issuer, audience, expiry and not-before are checked with a small clock tolerance. Only
 * asymmetric algorithms are accepted from the JWKS and only HS256 with the local secret, so
 * `alg: none` and algorithm confusion (an HS256 token signed with a public key) are refused.
 */
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { AppError } from '../domain/errors.js';
import { isValidTimeZone } from '../domain/time.js';
import type { JwtConfig } from './config.js';

export interface CustomerIdentity {
  customerId: string;
  clientId: string;
  clientName: string;
  firstName?: string;
  timeZone?: string;
}

const asymmetric = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

const claimPatterns = {
  sub: /^[A-Za-z0-9_-]{1,64}$/,
  client_id: /^[A-Za-z0-9_-]{1,32}$/,
  client_name: /^[A-Za-z0-9._-]{1,63}$/,
} as const;

export type TokenVerifier = (authorization: string | undefined) => Promise<CustomerIdentity>;

export function identityFromClaims(payload: JWTPayload): CustomerIdentity {
  for (const [claim, pattern] of Object.entries(claimPatterns)) {
    const value = payload[claim];
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw new AppError('unauthorized', `The sign-in token has no valid ${claim} claim; please sign in again.`);
    }
  }
  const identity: CustomerIdentity = {
    customerId: payload.sub as string,
    clientId: payload.client_id as string,
    clientName: payload.client_name as string,
  };
  if (typeof payload.given_name === 'string' && payload.given_name.trim() && payload.given_name.length <= 60) {
    identity.firstName = payload.given_name.trim();
  }
  if (typeof payload.zoneinfo === 'string' && isValidTimeZone(payload.zoneinfo)) identity.timeZone = payload.zoneinfo;
  return identity;
}

export function createTokenVerifier(config: JwtConfig): TokenVerifier {
  const key = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl), {
        cooldownDuration: config.jwksCooldownMs ?? 5000,
        cacheMaxAge: 10 * 60_000,
      })
    : new TextEncoder().encode(config.hs256Secret ?? '');
  const algorithms = config.jwksUrl ? asymmetric : ['HS256'];

  return async (authorization) => {
    const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization?.trim() ?? '');
    if (!match?.[1]) {
      throw new AppError('unauthorized', 'Sign in first: the request needs an Authorization: Bearer <token> header.');
    }
    try {
      const { payload } = await jwtVerify(match[1], key as Parameters<typeof jwtVerify>[1], {
        issuer: config.issuer,
        audience: config.audience,
        algorithms,
        clockTolerance: config.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      });
      return identityFromClaims(payload);
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (error instanceof errors.JWTExpired) throw new AppError('token_expired');
      // The key set could not be fetched or read (timeout, non-200, not JSON, not a key set, or a
      // network error): our fault, not the customer's token. jose throws its bare JOSEError base
      // class only for those fetch failures.
      if (
        error instanceof errors.JWKSTimeout ||
        error instanceof errors.JWKSInvalid ||
        !(error instanceof errors.JOSEError) ||
        error.code === errors.JOSEError.code
      ) {
        throw new AppError('auth_unavailable', undefined, { cause: error });
      }
      throw new AppError('unauthorized');
    }
  };
}

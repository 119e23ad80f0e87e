import { randomBytes } from 'node:crypto';

/**
 * A new Bedrock sessionId: 144 random bits, base64url, which fits Bedrock's pattern
 * `^[0-9a-zA-Z._:-]+$` (2-100 chars) and cannot be guessed.
 */
export function newSessionId(): string {
  return `s-${randomBytes(18).toString('base64url')}`;
}

export const sessionIdPattern = /^[0-9a-zA-Z._:-]{2,100}$/;

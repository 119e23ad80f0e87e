import { randomBytes } from 'node:crypto';

/**
 * A new Bedrock sessionId: 144 random bits, base64url, which fits Bedrock's pattern
 * `^[0-9a-zA-Z._:-]+$` (2-100 chars) and cannot be guessed.
 */
export function newSessionId(): string {
  return `s-${randomBytes(18).toString('base64url')}`;
}

/**
 * Bedrock's sessionId alphabet. Bedrock allows 100 characters; AgentCore's session ids run to
 * 256, so that is the longest id a session of ours can have.
 */
const sessionIdPattern = /^[0-9a-zA-Z._:-]{2,256}$/;

/** True for an id one of our sessions could have; anything else cannot name a session. */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && sessionIdPattern.test(value);
}

import { randomBytes } from 'node:crypto';

/**
 * A new session id: 192 random bits, base64url — 34 characters, which cannot be guessed and fit
 * both Bedrock Agents' sessionId (`^[0-9a-zA-Z._:-]+$`, 2-100 chars) and AgentCore's
 * runtimeSessionId (33-256 chars), so one id names the conversation on either platform.
 */
export function newSessionId(): string {
  return `s-${randomBytes(24).toString('base64url')}`;
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

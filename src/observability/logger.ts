/**
 * Structured JSON logs (Powertools Logger) with a correlation id per request.
 *
 * What may be logged: operation names, parameter *names*, status codes, durations, error types,
 * and hashed references to sessions. What may not: parameter values, note text, tokens, JWTs,
 * customer names, phone numbers, emails, addresses. Call sites log facts, never payloads; the
 * integration suite scans every line it produced for personal data (test/setup/log-capture.ts).
 */
import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';

export type { Logger };

export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}

/** A stable, non-reversible reference to a session id for log correlation. */
export function sessionRef(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex').slice(0, 16);
}

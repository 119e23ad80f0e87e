import type { ActionConfig } from '../../config/env.js';
import type { Session } from '../../domain/session.js';
import type { Logger } from '../../observability/logger.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { Pf360Api, Pf360Identity } from '../../ports/pf360.js';
import type { SessionStore } from '../../ports/session-store.js';
import type { WeatherApi } from '../../ports/weather.js';
import type { WriteGuard } from '../../ports/write-guard.js';

/** Everything an action-group handler is built from; wired once per cold start. */
export interface ActionDeps {
  config: ActionConfig;
  sessions: SessionStore;
  pf360: Pf360Api;
  weather: WeatherApi;
  clock: () => Date;
  logger: Logger;
}

/**
 * What every write runs through: one run per idempotency key, every attempt audited. The groups
 * that declare writes (scheduling, notes) cannot be built without it; operations never see it.
 */
export interface WriteStack {
  writes: WriteGuard;
  audit: AuditLog;
}

export type WritingActionDeps = ActionDeps & WriteStack;

/** What one operation call sees: the dependencies plus the verified session. */
export interface ActionContext extends ActionDeps {
  sessionId: string;
  session: Session;
  now: Date;
  /** PF360 identity, from the session only. */
  who: Pf360Identity;
  /** Milliseconds left in this invocation (bounds in-progress write records). */
  remainingMs: () => number;
}

/** The customer's time zone: the session's (from the portal token), or the configured default. */
export function customerZone(context: Pick<ActionContext, 'session' | 'config'>): string {
  return context.session.timeZone ?? context.config.defaultTimeZone;
}

export function identityOf(session: Session): Pf360Identity {
  return { clientId: session.clientId, customerId: session.customerId, authToken: session.authToken };
}

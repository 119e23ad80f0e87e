/**
 * An ActionContext for unit tests of one operation: the spec examples in-process (ExamplePf360Client
 * and ExampleWeatherClient, on the examples' own calendar), the demo customer's session, a pinned
 * clock, and any PF360 call replaced by a test's own answer.
 */
import type { ActionContext } from '../../src/action-groups/shared/context.js';
import { identityOf } from '../../src/action-groups/shared/context.js';
import { ExamplePf360Client } from '../../src/adapters/pf360/example-client.js';
import { ExampleWeatherClient } from '../../src/adapters/weather/example-client.js';
import { loadActionConfig } from '../../src/config/env.js';
import { expiryFrom, type Session } from '../../src/domain/session.js';
import { createLogger } from '../../src/observability/logger.js';
import type { Pf360Api } from '../../src/ports/pf360.js';
import { InMemorySessionStore } from '../fakes/in-memory-session-store.js';

export interface OperationContextOptions {
  now?: Date;
  session?: Partial<Session>;
  pf360?: Partial<Pf360Api>;
  env?: Record<string, string>;
}

export function operationContext(options: OperationContextOptions = {}): ActionContext {
  const now = options.now ?? new Date('2026-11-29T15:00:00Z');
  const config = loadActionConfig({ ENABLE_REAL_CONFIRM: 'true', ENABLE_REAL_CANCEL: 'true', ...options.env });
  const calendar = { clock: () => now, timeZone: config.defaultTimeZone };
  const examples = new ExamplePf360Client(calendar);
  const pf360: Pf360Api = Object.assign(Object.create(examples) as Pf360Api, options.pf360);
  const session: Session = {
    sessionId: 's-operation-test',
    customerId: '1645975',
    clientId: '09PF05VD',
    clientName: 'projectsforce-validation',
    authToken: 'operation-test-token',
    stage: 'test',
    timeZone: 'America/New_York',
    createdAt: now.toISOString(),
    expiresAt: expiryFrom(now, 1800),
    scheduling: {},
    ...options.session,
  };
  return {
    config,
    sessions: new InMemorySessionStore(),
    pf360,
    weather: new ExampleWeatherClient(calendar),
    clock: () => now,
    logger: createLogger('operation-test'),
    sessionId: session.sessionId,
    session,
    now,
    who: identityOf(session),
    remainingMs: () => 30_000,
  };
}

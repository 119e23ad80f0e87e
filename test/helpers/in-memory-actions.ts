/**
 * The three action groups' real handlers on in-memory adapters: sessions, idempotency and audit in
 * memory, PF360 and the weather from the spec examples (on the examples' calendar), every PF360
 * call recorded with the customer it was made for. For unit tests of what sits on top of the handlers (the agent layer); no network.
 */
import { createInformationHandler } from '../../src/action-groups/information/index.js';
import { createNotesHandler } from '../../src/action-groups/notes/index.js';
import { createSchedulingHandler } from '../../src/action-groups/scheduling/index.js';
import type { WritingActionDeps } from '../../src/action-groups/shared/context.js';
import { ExamplePf360Client } from '../../src/adapters/pf360/example-client.js';
import { ExampleWeatherClient } from '../../src/adapters/weather/example-client.js';
import { loadActionConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/observability/logger.js';
import type { Pf360Api, Pf360Identity } from '../../src/ports/pf360.js';
import { createToolInvoker } from '../../src/tools/invoke-tool.js';
import { InMemorySessionStore } from '../fakes/in-memory-session-store.js';
import { InMemoryAuditLog, InMemoryWriteGuard } from '../fakes/in-memory-writes.js';

export interface InMemoryActionOptions {
  /** Customers whose PF360 dashboard is empty: none of the examples' projects is theirs. */
  withoutProjects?: readonly string[];
}

export function inMemoryActions(env: Record<string, string> = {}, options: InMemoryActionOptions = {}) {
  const config = loadActionConfig({ ENABLE_REAL_CONFIRM: 'true', ENABLE_REAL_CANCEL: 'true', ...env });
  const clock = () => new Date();
  const calendar = { clock, timeZone: config.defaultTimeZone };
  const examples = new ExamplePf360Client(calendar);
  const pf360Calls: { method: keyof Pf360Api; projectId?: string }[] = [];
  /** The customer each call of pf360Calls was made for, in the same order. */
  const pf360Customers: string[] = [];
  const withoutProjects = new Set(options.withoutProjects ?? []);
  const pf360 = new Proxy(examples, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const who = args[0] as Pf360Identity;
        pf360Calls.push({
          method: property as keyof Pf360Api,
          ...(typeof args[1] === 'string' ? { projectId: args[1] } : {}),
        });
        pf360Customers.push(`${who.clientId}/${who.customerId}`);
        if (property === 'getDashboard' && withoutProjects.has(who.customerId)) return Promise.resolve([]);
        return value.apply(target, args);
      };
    },
  }) as Pf360Api;
  const sessions = new InMemorySessionStore();
  const logger = createLogger('in-memory-actions');
  logger.appendKeys({ correlation_id: 'in-memory-actions' });
  const deps: WritingActionDeps = {
    config,
    sessions,
    pf360,
    weather: new ExampleWeatherClient(calendar),
    writes: new InMemoryWriteGuard(),
    audit: new InMemoryAuditLog(),
    clock,
    logger,
  };
  const handlers = {
    scheduling: createSchedulingHandler(deps),
    information: createInformationHandler(deps),
    notes: createNotesHandler(deps),
  };
  return {
    handlers,
    invoke: createToolInvoker(handlers),
    sessions,
    pf360Calls,
    pf360Customers,
    audit: deps.audit as InMemoryAuditLog,
  };
}

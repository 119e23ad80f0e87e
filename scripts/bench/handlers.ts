/**
 * Section 1 of `npm run bench`: what the action-group edge itself costs per call. The real
 * handlers run on genuine Bedrock events with every adapter in memory (sessions, idempotency,
 * audit, PF360 and weather from the specs' examples), so the time measured is ours: routing,
 * validation, the session round trip, the operation, the envelope and logging, with logs off
 * and at INFO.
 */
// Replays the committed examples with their fixed dates: on their own calendar.
import '../lib/examples-clock.mjs';
import { actionCatalog } from '../../generated/catalog/actions.js';
import { createInformationHandler } from '../../src/action-groups/information/index.js';
import { createNotesHandler } from '../../src/action-groups/notes/index.js';
import { createSchedulingHandler } from '../../src/action-groups/scheduling/index.js';
import type { WritingActionDeps } from '../../src/action-groups/shared/context.js';
import { ExamplePf360Client } from '../../src/adapters/pf360/example-client.js';
import { ExampleWeatherClient } from '../../src/adapters/weather/example-client.js';
import { type ActionGroupName, buildBedrockEvent } from '../../src/bedrock/build-event.js';
import type { ActionHandler, CatalogOperation } from '../../src/bedrock/dispatch.js';
import { loadActionConfig } from '../../src/config/env.js';
import { projectCache } from '../../src/domain/projects.js';
import { type CachedProject, expiryFrom, type ProjectScheduling } from '../../src/domain/session.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import type { ReschedulerSlots } from '../../src/ports/pf360.js';
import { InMemorySessionStore } from '../../test/fakes/in-memory-session-store.js';
import { InMemoryAuditLog, InMemoryWriteGuard } from '../../test/fakes/in-memory-writes.js';
import { type Summary, summarize } from '../lib/stats.js';
import { demoCustomer } from '../local/env.js';

/** Calls to one dependency, in total and by method (the methods name the PF360 endpoints). */
class CallCounter {
  total = 0;
  readonly byMethod = new Map<string, number>();

  reset(): void {
    this.total = 0;
    this.byMethod.clear();
  }
}

/** `target` with every method call counted; wrappers are made once per method, not per call. */
function countCalls<T extends object>(target: T, counter: CallCounter): T {
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      let wrapper = wrappers.get(property);
      if (!wrapper) {
        const name = String(property);
        wrapper = (...args: unknown[]) => {
          counter.total += 1;
          counter.byMethod.set(name, (counter.byMethod.get(name) ?? 0) + 1);
          return Reflect.apply(value, object, args);
        };
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
}

/** How one call used its dependencies. */
export interface CallCounts {
  sessionReads: number;
  sessionWrites: number;
  pf360: number;
  weather: number;
  /** WriteGuard.run: in production one Powertools idempotency record on DynamoDB. */
  idempotency: number;
  /** AuditLog.record: in production one PutItem on the audit table. */
  audit: number;
}

export type Variant = 'read' | 'new write' | 'replay';

/** The two levels compared: logs off, and production's INFO (one line per action). */
const logLevels = ['SILENT', 'INFO'] as const;
export type LogLevel = (typeof logLevels)[number];

export interface CaseResult {
  group: ActionGroupName;
  operation: string;
  variant: Variant;
  /** µs per call, at each log level. */
  micros: Record<LogLevel, Summary>;
  /** Fewest and most of each dependency call over the measured iterations. */
  counts: { min: CallCounts; max: CallCounts };
  /** The PF360 and weather methods one call used (from the last iteration). */
  upstreamMethods: string[];
}

interface Case {
  group: ActionGroupName;
  operation: string;
  variant: Variant;
  values: Record<string, unknown>;
  /** The project states the session holds before the call. */
  scheduling?: Record<string, ProjectScheduling>;
}

/**
 * Every operation in the state a conversation reaches it in: the project list already in the
 * session (list_projects comes first), dates and slots offered before a booking, a scheduled
 * project (12345) before a cancel or reschedule. Writes are measured twice: as a new write (a
 * fresh session, hence a fresh idempotency key, every iteration) and as a replay of the same
 * write (answered from its idempotency record).
 */
function cases(offer: ReschedulerSlots): Case[] {
  // A project's state after get_available_dates and get_time_slots for `date`: what a booking
  // on that date needs in the session.
  const offered = (date: string): ProjectScheduling => ({
    requestId: offer.request_id,
    offeredDates: offer.dates,
    offeredSlots: { [date]: offer.slots ?? [] },
  });
  const writes: Omit<Case, 'variant'>[] = [
    {
      group: 'scheduling',
      operation: 'confirm_appointment',
      values: { project_id: '12350', date: '2026-12-02', time: '10:00 AM' },
      scheduling: { '12350': offered('2026-12-02') },
    },
    {
      group: 'scheduling',
      operation: 'reschedule_appointment',
      values: { project_id: '12345', date: '2026-12-08', time: '01:00 PM' },
      scheduling: { '12345': offered('2026-12-08') },
    },
    { group: 'scheduling', operation: 'cancel_appointment', values: { project_id: '12345' } },
    { group: 'notes', operation: 'add_note', values: { project_id: '12347', note_text: 'Gate code is 4417.' } },
  ];
  const reads: Omit<Case, 'variant'>[] = [
    { group: 'scheduling', operation: 'list_projects', values: {} },
    // 12350 is roofing: weather-sensitive, so the dates come with a forecast.
    { group: 'scheduling', operation: 'get_available_dates', values: { project_id: '12350' } },
    {
      group: 'scheduling',
      operation: 'get_time_slots',
      values: { project_id: '12350', date: '2026-12-02' },
      scheduling: { '12350': offered('2026-12-02') },
    },
    { group: 'scheduling', operation: 'get_business_hours', values: {} },
    { group: 'information', operation: 'get_project_details', values: { project_id: '12345' } },
    { group: 'information', operation: 'get_appointment_status', values: { project_id: '12345' } },
    { group: 'information', operation: 'get_working_hours', values: {} },
    { group: 'information', operation: 'get_weather', values: { project_id: '12350', days: 7 } },
    { group: 'notes', operation: 'list_notes', values: { project_id: '12347' } },
  ];
  const all = [
    ...reads.map((c) => ({ ...c, variant: 'read' as const })),
    ...writes.flatMap((c) => [
      { ...c, variant: 'new write' as const },
      { ...c, variant: 'replay' as const },
    ]),
  ];
  // Catalog order within each group, so the table reads like the specs.
  const rank = (c: Case) =>
    Object.keys(actionCatalog).indexOf(c.group) * 100 +
    actionCatalog[c.group].findIndex((op) => op.operationId === c.operation);
  return all.sort((a, b) => rank(a) - rank(b));
}

/** The in-memory world every handler shares, with a counter on each dependency. */
class World {
  readonly sessions = new InMemorySessionStore();
  readonly writes = new InMemoryWriteGuard();
  readonly audit = new InMemoryAuditLog();
  readonly pf360 = new CallCounter();
  readonly weather = new CallCounter();
  readonly idempotency = new CallCounter();
  readonly audits = new CallCounter();
  readonly handlers: Record<ActionGroupName, ActionHandler>;
  private readonly loggers: Logger[] = [];

  /** `projects`: the customer's project list, as list_projects leaves it in the session. */
  constructor(private readonly projects: Record<string, CachedProject>) {
    // The flags as a stage with real writes has them, so a write reaches PF360 (the example client).
    const config = loadActionConfig({ USE_MOCK_API: 'true', ENABLE_REAL_CONFIRM: 'true', ENABLE_REAL_CANCEL: 'true' });
    const calendar = { clock: () => new Date(), timeZone: config.defaultTimeZone };
    const pf360 = countCalls(new ExamplePf360Client(calendar), this.pf360);
    const weather = countCalls(new ExampleWeatherClient(calendar), this.weather);
    const writes = countCalls(this.writes, this.idempotency);
    const audit = countCalls(this.audit, this.audits);
    // One logger per group, as each Lambda has its own.
    const deps = (group: string): WritingActionDeps => {
      const logger = createLogger(`bench-${group}`);
      this.loggers.push(logger);
      return { config, sessions: this.sessions, pf360, weather, writes, audit, clock: () => new Date(), logger };
    };
    this.handlers = {
      scheduling: createSchedulingHandler(deps('scheduling')),
      information: createInformationHandler(deps('information')),
      notes: createNotesHandler(deps('notes')),
    };
  }

  seed(sessionId: string, scheduling: Record<string, ProjectScheduling> = {}): void {
    const now = new Date();
    this.sessions.seed({
      sessionId,
      ...demoCustomer,
      authToken: 'bench-token',
      stage: 'bench',
      timeZone: 'America/New_York',
      createdAt: now.toISOString(),
      expiresAt: expiryFrom(now, 86_400),
      projects: structuredClone(this.projects),
      scheduling: structuredClone(scheduling),
    });
  }

  setLogLevel(level: LogLevel): void {
    for (const logger of this.loggers) logger.setLogLevel(level);
  }

  /** Drops the idempotency records of one session (the key names its session: shared/writes.ts). */
  forgetWrites(sessionId: string): void {
    for (const id of this.writes.records.keys()) {
      if ((JSON.parse(id) as { session?: unknown }).session === sessionId) this.writes.records.delete(id);
    }
  }

  resetCounts(): void {
    this.sessions.reads = 0;
    this.sessions.writes = 0;
    for (const counter of [this.pf360, this.weather, this.idempotency, this.audits]) counter.reset();
  }

  counts(): CallCounts {
    return {
      sessionReads: this.sessions.reads,
      sessionWrites: this.sessions.writes,
      pf360: this.pf360.total,
      weather: this.weather.total,
      idempotency: this.idempotency.total,
      audit: this.audits.total,
    };
  }
}

function pick(a: CallCounts, b: CallCounts, choose: (x: number, y: number) => number): CallCounts {
  return {
    sessionReads: choose(a.sessionReads, b.sessionReads),
    sessionWrites: choose(a.sessionWrites, b.sessionWrites),
    pf360: choose(a.pf360, b.pf360),
    weather: choose(a.weather, b.weather),
    idempotency: choose(a.idempotency, b.idempotency),
    audit: choose(a.audit, b.audit),
  };
}

/** One case's calls, made in batches (see runHandlerBench), and what they measured. */
class CaseRunner {
  private readonly operation: CatalogOperation;
  private readonly label: string;
  private readonly samples: Record<LogLevel, Float64Array>;
  private readonly measured: Record<LogLevel, number> = { SILENT: 0, INFO: 0 };
  private calls = 0;
  private min: CallCounts | undefined;
  private max: CallCounts | undefined;
  private upstreamMethods: string[] = [];

  constructor(
    private readonly world: World,
    private readonly c: Case,
    iterations: number,
  ) {
    const operation = actionCatalog[c.group].find((op) => op.operationId === c.operation);
    if (!operation) throw new Error(`no operation ${c.operation} in ${c.group}`);
    this.operation = operation;
    this.label = `bench-${c.operation}-${c.variant.replace(' ', '-')}`;
    this.samples = { SILENT: new Float64Array(iterations), INFO: new Float64Array(iterations) };
    if (c.variant !== 'new write') world.seed(this.label, c.scheduling);
  }

  /** `count` calls at `level`, measured unless `warmup`. */
  async run(count: number, level: LogLevel, warmup: boolean): Promise<void> {
    const { world, c, label } = this;
    world.setLogLevel(level);
    for (let n = 0; n < count; n++) {
      const sessionId = c.variant === 'new write' ? `${label}-${this.calls}` : label;
      if (c.variant === 'new write') world.seed(sessionId, c.scheduling);
      const event = buildBedrockEvent({
        group: c.group,
        httpMethod: this.operation.method,
        apiPath: this.operation.apiPath,
        sessionId,
        values: c.values,
      });
      world.resetCounts();

      const started = process.hrtime.bigint();
      const envelope = await world.handlers[c.group](event);
      const elapsed = process.hrtime.bigint() - started;

      const { httpStatusCode, responseBody } = envelope.response;
      if (httpStatusCode !== 200) {
        throw new Error(`${label}: status ${httpStatusCode} ${responseBody['application/json'].body}`);
      }
      // A replay case's very first call makes the write that every later call replays.
      const expected =
        c.variant === 'read' ? undefined : c.variant === 'replay' && this.calls > 0 ? 'replayed' : 'succeeded';
      const outcome = world.audit.entries.at(-1)?.outcome;
      if (expected && outcome !== expected) throw new Error(`${label}: audit outcome ${outcome}, expected ${expected}`);
      this.calls += 1;
      if (!warmup) {
        this.samples[level][this.measured[level]] = Number(elapsed) / 1000;
        this.measured[level] += 1;
        const counts = world.counts();
        this.min = this.min ? pick(this.min, counts, Math.min) : counts;
        this.max = this.max ? pick(this.max, counts, Math.max) : counts;
        this.upstreamMethods = [...world.pf360.byMethod.keys(), ...world.weather.byMethod.keys()];
      }
      // The fakes keep in memory what production keeps in DynamoDB: drop what this call left
      // behind, so thousands of iterations do not measure a growing heap.
      world.audit.entries.length = 0;
      if (c.variant === 'new write') {
        world.sessions.delete(sessionId);
        world.forgetWrites(sessionId);
      }
    }
  }

  remaining(level: LogLevel): number {
    return this.samples[level].length - this.measured[level];
  }

  result(): CaseResult {
    const { c, min, max } = this;
    if (!min || !max || logLevels.some((level) => this.remaining(level) > 0)) {
      throw new Error(`${this.label}: measurement incomplete`);
    }
    return {
      group: c.group,
      operation: c.operation,
      variant: c.variant,
      micros: { SILENT: summarize(this.samples.SILENT), INFO: summarize(this.samples.INFO) },
      counts: { min, max },
      upstreamMethods: this.upstreamMethods,
    };
  }
}

export interface HandlerBenchOptions {
  iterations: number;
  warmup: number;
}

/** Calls per case in one turn of the measured rounds. */
const batch = 250;

/**
 * Every case is warmed up first, at both log levels, then measured in rounds of `batch` calls
 * per case and level in turn, rather than one case after the other: the code all operations
 * share (the edge, validation, the session store, the logger) reaches its steady JIT state
 * before anything is measured, garbage collections and other processes' bursts spread over all
 * cases instead of landing on whichever runs at the time, and each level's numbers come from
 * the same process state as the other's, so their difference is the cost of logging alone. The
 * caller sends stdout, where the INFO lines go, to /dev/null (handlers-worker.ts).
 */
export async function runHandlerBench({ iterations, warmup }: HandlerBenchOptions): Promise<CaseResult[]> {
  if (iterations < 1 || warmup < 1) throw new Error('iterations and warmup must be at least 1');
  // The state is seeded from the same examples the example client answers with.
  const examples = new ExamplePf360Client({ clock: () => new Date(), timeZone: 'America/New_York' });
  const world = new World(projectCache(await examples.getDashboard()));
  const runners = cases(await examples.getReschedulerSlots()).map((c) => new CaseRunner(world, c, iterations));
  for (const level of logLevels) for (const runner of runners) await runner.run(warmup, level, true);
  for (let round = 0; runners.some((runner) => runner.remaining('SILENT') > 0); round++) {
    const levels = round % 2 === 0 ? logLevels : [...logLevels].reverse();
    for (const level of levels) {
      for (const runner of runners) await runner.run(Math.min(batch, runner.remaining(level)), level, false);
    }
  }
  return runners.map((runner) => runner.result());
}

/**
 * Upstream and storage faults, each with the behaviour we promise and a check of what actually
 * happens on the local stack. Run by test/faults/faults.test.ts (part of `npm test`) and printed
 * as a table by `npm run test:faults`.
 */
import { createInformationHandler } from '../../src/action-groups/information/index.js';
import { createNotesHandler } from '../../src/action-groups/notes/index.js';
import { createSchedulingHandler } from '../../src/action-groups/scheduling/index.js';
import type { ActionDeps } from '../../src/action-groups/shared/context.js';
import { createActionDeps } from '../../src/action-groups/shared/wiring.js';
import { createDocumentClient, createDynamoDbClient } from '../../src/adapters/dynamodb/client.js';
import { DynamoDbSessionStore } from '../../src/adapters/dynamodb/session-store.js';
import type { ActionGroupName } from '../../src/bedrock/build-event.js';
import type { ActionHandler } from '../../src/bedrock/dispatch.js';
import { newSessionId } from '../../src/domain/session-id.js';
import { type CallResult, callAction, testHttpEnv } from '../helpers/actions.js';
import { demoCustomer } from '../helpers/sessions.js';
import { type Fault, pf360Paths, type UpstreamProxy } from '../helpers/upstream-proxy.js';

export interface FaultContext {
  pf360: UpstreamProxy;
  weather: UpstreamProxy;
  /** The stack's environment (DynamoDB endpoint, table names, credentials). */
  env: Record<string, string | undefined>;
  /** Starts a DynamoDB Local with on-disk storage that can be stopped and restarted. */
  restartableDynamoDb: () => Promise<{
    env: Record<string, string>;
    stop: () => Promise<void>;
    start: () => Promise<void>;
  }>;
}

export interface Outcome {
  observed: string;
  ok: boolean;
}

export interface Scenario {
  fault: string;
  expected: string;
  run: (ctx: FaultContext) => Promise<Outcome>;
}

interface Harness {
  deps: ActionDeps;
  handlers: Record<ActionGroupName, ActionHandler>;
  sessionId: string;
  call: (group: ActionGroupName, operationId: string, values?: Record<string, unknown>) => Promise<CallResult>;
  session: () => Promise<unknown>;
}

/** Dates, then the slots of `date`: what a booking of that slot needs first. */
async function offerSlots(h: Harness, projectId: string, date: string): Promise<void> {
  await h.call('scheduling', 'get_available_dates', { project_id: projectId });
  await h.call('scheduling', 'get_time_slots', { project_id: projectId, date });
}

async function harness(ctx: FaultContext, overrides: Record<string, string | undefined> = {}): Promise<Harness> {
  ctx.pf360.reset();
  ctx.weather.reset();
  const env = {
    ...ctx.env,
    ...testHttpEnv,
    PF360_BASE_URL: ctx.pf360.url,
    WEATHER_BASE_URL: ctx.weather.url,
    GEOCODING_BASE_URL: ctx.weather.url,
    ENABLE_REAL_CONFIRM: 'true',
    ENABLE_REAL_CANCEL: 'true',
    STAGE: 'test',
    ...overrides,
  };
  const deps = createActionDeps('test-faults', env);
  const handlers = {
    scheduling: createSchedulingHandler(deps),
    information: createInformationHandler(deps),
    notes: createNotesHandler(deps),
  };
  const store = new DynamoDbSessionStore(
    createDocumentClient(createDynamoDbClient(deps.config.dynamodb)),
    deps.config.sessionsTable,
    1800,
  );
  const sessionId = newSessionId();
  await store.create({ sessionId, ...demoCustomer, stage: 'test', timeZone: 'America/New_York' }, new Date());
  return {
    deps,
    handlers,
    sessionId,
    call: (group, operationId, values = {}) => callAction(handlers[group], group, operationId, sessionId, values),
    session: () => store.get(sessionId),
  };
}

/** Deep equality that ignores key order (stored results come back with keys reordered). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}
const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
const describe = (r: CallResult) => `${r.status} ${String(r.body.error_type ?? 'ok')}`;

/** Prepare up to `step`, inject `fault`, call `step`, report status, attempts and session change. */
function pf360Fault(options: {
  fault: string;
  expected: string;
  /** The fault, or a function that builds it when it is injected (for times relative to then). */
  inject: Fault | (() => Fault);
  method: string;
  path: RegExp;
  step: 'list_projects' | 'get_available_dates' | 'get_time_slots' | 'confirm_appointment' | 'get_business_hours';
  status: number;
  errorType?: string;
  attempts: number;
  /** The agent-facing sentence must say this. */
  message?: RegExp;
  times?: number;
  minMs?: number;
  maxMs?: number;
}): Scenario {
  return {
    fault: options.fault,
    expected: options.expected,
    run: async (ctx) => {
      const h = await harness(ctx);
      if (options.step !== 'list_projects') await h.call('scheduling', 'list_projects');
      if (options.step === 'get_time_slots' || options.step === 'confirm_appointment') {
        await h.call('scheduling', 'get_available_dates', { project_id: '12347' });
      }
      if (options.step === 'confirm_appointment') {
        await h.call('scheduling', 'get_time_slots', { project_id: '12347', date: '2026-12-02' });
      }
      const before = await h.session();
      ctx.pf360.reset();
      ctx.pf360.inject({
        method: options.method,
        path: options.path,
        fault: typeof options.inject === 'function' ? options.inject() : options.inject,
        ...(options.times ? { times: options.times } : {}),
      });
      const values: Record<string, Record<string, string>> = {
        get_available_dates: { project_id: '12347' },
        get_time_slots: { project_id: '12347', date: '2026-12-02' },
        confirm_appointment: { project_id: '12347', date: '2026-12-02', time: '10:00 AM' },
      };
      const started = Date.now();
      const result = await h.call('scheduling', options.step, values[options.step] ?? {});
      const ms = Date.now() - started;
      const attempts = ctx.pf360.matching(options.method, options.path).length;
      const after = await h.session();
      const unchanged = result.status === 200 || same(stripTtl(before), stripTtl(after));
      const ok =
        result.status === options.status &&
        (options.errorType === undefined || result.body.error_type === options.errorType) &&
        attempts === options.attempts &&
        (options.message === undefined || options.message.test(String(result.body.error))) &&
        unchanged &&
        ms >= (options.minMs ?? 0) &&
        ms <= (options.maxMs ?? 30_000);
      return {
        observed: `${describe(result)}, ${attempts} attempt(s), ${ms} ms${result.status === 200 ? '' : `, session ${unchanged ? 'unchanged' : 'CHANGED'}`}`,
        ok,
      };
    },
  };
}

function stripTtl(session: unknown): unknown {
  if (!session || typeof session !== 'object') return session;
  const { expiresAt: _ttl, ...rest } = session as Record<string, unknown>;
  return rest;
}

function weatherFault(fault: string, inject: Fault): Scenario {
  return {
    fault: `Weather service: ${fault}, while offering roofing dates`,
    expected: '200 with every date, and a note that the forecast is unavailable',
    run: async (ctx) => {
      const h = await harness(ctx);
      ctx.weather.reset();
      ctx.weather.inject({ fault: inject });
      const result = await h.call('scheduling', 'get_available_dates', { project_id: '12350' });
      const dates = (result.body.dates as unknown[] | undefined)?.length ?? 0;
      const note = String(result.body.weather_note ?? '');
      return {
        observed: `${describe(result)}, ${dates} dates, note: ${/unavailable/.test(note) ? 'forecast unavailable' : note || 'none'}`,
        ok: result.status === 200 && dates === 10 && /forecast is unavailable/.test(note),
      };
    },
  };
}

/**
 * The same write fired five times at once in one session, with PF360 slowed so the calls overlap,
 * then once more after they finish: one PF360 write; each answer is the first result or 409
 * write_in_progress; the later repeat gets the first result.
 */
function concurrentWrite(options: {
  fault: string;
  group: ActionGroupName;
  operation: string;
  values: Record<string, string>;
  /** Calls that make the write possible (e.g. dates and slots offered in the session). */
  prepare?: (h: Harness) => Promise<void>;
  /** The PF360 request the write makes, counted at the proxy. */
  write: { method: string; path: RegExp };
}): Scenario {
  const copies = 5;
  return {
    fault: options.fault,
    expected: 'one PF360 write; the others get the first result or 409 write_in_progress',
    run: async (ctx) => {
      // A timeout well above the injected delay: the slowed write must succeed, not time out
      // (a timed-out write is forgotten, so the later repeat would write again).
      const h = await harness(ctx, { API_TIMEOUT_MS: '3000' });
      await options.prepare?.(h);
      ctx.pf360.reset();
      ctx.pf360.inject({ method: options.write.method, path: options.write.path, fault: { kind: 'delay', ms: 300 } });
      const results = await Promise.all(
        Array.from({ length: copies }, () => h.call(options.group, options.operation, options.values)),
      );
      const again = await h.call(options.group, options.operation, options.values);
      const writes = ctx.pf360.matching(options.write.method, options.write.path).length;
      const ok200 = results.filter((r) => r.status === 200);
      const inProgress = results.filter((r) => r.status === 409 && r.body.error_type === 'write_in_progress');
      const others = results.filter((r) => !ok200.includes(r) && !inProgress.includes(r));
      return {
        observed: `${writes} PF360 write(s); ${ok200.length}×200, ${inProgress.length}×409 in progress${others.length ? `, other: ${others.map(describe).join(', ')}` : ''}; a later repeat: ${describe(again)}`,
        ok:
          writes === 1 &&
          ok200.length >= 1 &&
          ok200.length + inProgress.length === copies &&
          ok200.every((r) => same(r.body, ok200[0]?.body)) &&
          again.status === 200 &&
          same(again.body, ok200[0]?.body),
      };
    },
  };
}

const drifted = { status: 'success', data: { dates: ['2026-12-01'], slots: [] } };

export const scenarios: Scenario[] = [
  pf360Fault({
    fault: 'PF360 slower than the timeout (reading dates)',
    expected: '504 upstream_timeout after 3 attempts, session unchanged',
    inject: { kind: 'delay', ms: 1500 },
    method: 'GET',
    path: pf360Paths.slots,
    step: 'get_available_dates',
    status: 504,
    errorType: 'upstream_timeout',
    attempts: 3,
  }),
  pf360Fault({
    fault: 'PF360 slower than the timeout (booking)',
    expected: '504, the write sent once, "may or may not" wording, no booking recorded',
    inject: { kind: 'delay', ms: 1500 },
    method: 'POST',
    path: pf360Paths.schedule,
    step: 'confirm_appointment',
    status: 504,
    errorType: 'upstream_timeout',
    attempts: 1,
    message: /may or may not have been applied/,
  }),
  pf360Fault({
    fault: 'PF360 resets the connection before answering',
    expected: '502 upstream_unreachable after 3 attempts',
    inject: { kind: 'reset' },
    method: 'GET',
    path: pf360Paths.dashboard,
    step: 'list_projects',
    status: 502,
    errorType: 'upstream_unreachable',
    attempts: 3,
  }),
  pf360Fault({
    fault: 'PF360 resets the connection mid-response',
    expected: '502 after 3 attempts, session unchanged',
    inject: { kind: 'reset-mid-body' },
    method: 'GET',
    path: pf360Paths.slots,
    step: 'get_time_slots',
    status: 502,
    errorType: 'upstream_unreachable',
    attempts: 3,
  }),
  ...[500, 502, 503].map((code) =>
    pf360Fault({
      fault: `PF360 answers ${code}`,
      expected: '502 upstream_error after 3 attempts, session unchanged',
      inject: { kind: 'respond', status: code, body: { status: 'error', message: 'boom' } },
      method: 'GET',
      path: pf360Paths.slots,
      step: 'get_available_dates',
      status: 502,
      errorType: 'upstream_error',
      attempts: 3,
    }),
  ),
  pf360Fault({
    fault: 'PF360 answers 503 once, then recovers',
    expected: '200 after one retry',
    inject: { kind: 'prefer', prefer: 'code=503' },
    times: 1,
    method: 'GET',
    path: pf360Paths.dashboard,
    step: 'list_projects',
    status: 200,
    attempts: 2,
  }),
  pf360Fault({
    fault: 'PF360 answers 429 with Retry-After: 1, then recovers',
    expected: '200 after waiting the second PF360 asked for',
    inject: { kind: 'respond', status: 429, headers: { 'retry-after': '1' }, body: { message: 'slow down' } },
    times: 1,
    method: 'GET',
    path: pf360Paths.slots,
    step: 'get_available_dates',
    status: 200,
    attempts: 2,
    minMs: 1000,
  }),
  pf360Fault({
    fault: 'PF360 answers 429 with Retry-After: 120',
    expected: '502 upstream_busy at once (no two-minute wait), session unchanged',
    inject: { kind: 'respond', status: 429, headers: { 'retry-after': '120' }, body: { message: 'slow down' } },
    method: 'GET',
    path: pf360Paths.slots,
    step: 'get_available_dates',
    status: 502,
    errorType: 'upstream_busy',
    message: /try again in 120 seconds\./,
    attempts: 1,
    maxMs: 3000,
  }),
  pf360Fault({
    fault: 'PF360 answers 429 with Retry-After as an HTTP date five minutes away',
    expected: '502 upstream_busy at once, telling when to try again, session unchanged',
    inject: () => ({
      kind: 'respond',
      status: 429,
      headers: { 'retry-after': new Date(Date.now() + 300_000).toUTCString() },
      body: { message: 'slow down' },
    }),
    method: 'GET',
    path: pf360Paths.slots,
    step: 'get_available_dates',
    status: 502,
    errorType: 'upstream_busy',
    // An HTTP date has whole seconds, and the call takes a moment.
    message: /try again in (29\d|300) seconds\./,
    attempts: 1,
    maxMs: 3000,
  }),
  pf360Fault({
    fault: 'PF360 sends malformed JSON with 200',
    expected: '502 upstream_invalid_response, session unchanged',
    inject: { kind: 'respond', status: 200, rawBody: '{"status":"success","data":{"dates":["2026-' },
    method: 'GET',
    path: pf360Paths.slots,
    step: 'get_available_dates',
    status: 502,
    errorType: 'upstream_invalid_response',
    attempts: 1,
  }),
  pf360Fault({
    fault: 'PF360 answers a booking with a 200 that is not JSON',
    expected:
      '502 upstream_invalid_response, sent once, "may or may not" wording (never "nothing was changed"), no booking recorded',
    inject: { kind: 'respond', status: 200, rawBody: 'Appointment scheduled' },
    method: 'POST',
    path: pf360Paths.schedule,
    step: 'confirm_appointment',
    status: 502,
    errorType: 'upstream_invalid_response',
    attempts: 1,
    message: /^(?!.*nothing was changed).*may or may not have been made/,
  }),
  pf360Fault({
    fault: 'PF360 refuses a booking with 409',
    expected: '409 slot_taken, sent once, advice to fetch the slots again, no booking recorded',
    inject: { kind: 'respond', status: 409, body: { status: 'error', message: 'slot unavailable' } },
    method: 'POST',
    path: pf360Paths.schedule,
    step: 'confirm_appointment',
    status: 409,
    errorType: 'slot_taken',
    attempts: 1,
    message: /Call get_time_slots again/,
  }),
  pf360Fault({
    fault: 'PF360 sends JSON that does not match pf360.yaml (no request_id)',
    expected: '502 upstream_invalid_response, nothing stored',
    inject: { kind: 'respond', status: 200, body: drifted },
    method: 'GET',
    path: pf360Paths.slots,
    step: 'get_available_dates',
    status: 502,
    errorType: 'upstream_invalid_response',
    attempts: 1,
  }),
  pf360Fault({
    fault: 'PF360 dashboard rows without a project id',
    expected: '502 upstream_invalid_response',
    inject: {
      kind: 'respond',
      status: 200,
      body: { data: [{ project_category_category: 'Roofing', status_info_status: 'Pending' }] },
    },
    method: 'GET',
    path: pf360Paths.dashboard,
    step: 'list_projects',
    status: 502,
    errorType: 'upstream_invalid_response',
    attempts: 1,
  }),
  pf360Fault({
    fault: 'PF360 answers 500 to a booking',
    expected: '502, the write sent once (never retried), no booking recorded',
    inject: { kind: 'prefer', prefer: 'code=500' },
    method: 'POST',
    path: pf360Paths.schedule,
    step: 'confirm_appointment',
    status: 502,
    errorType: 'upstream_error',
    attempts: 1,
  }),
  pf360Fault({
    fault: "PF360 rejects the customer's token (401)",
    expected: '502 upstream_unauthorized (sign in again), no retry',
    inject: { kind: 'prefer', prefer: 'code=401' },
    method: 'GET',
    path: pf360Paths.hours,
    step: 'get_business_hours',
    status: 502,
    errorType: 'upstream_unauthorized',
    attempts: 1,
  }),
  weatherFault('500', { kind: 'prefer', prefer: 'code=500' }),
  weatherFault('slower than the timeout', { kind: 'delay', ms: 1500 }),
  weatherFault('connection reset', { kind: 'reset' }),
  weatherFault('JSON that does not match weather.yaml', { kind: 'respond', status: 200, body: { latitude: 1 } }),
  {
    fault: 'Weather service down when the customer asks for the forecast',
    expected: '502 weather_error (get_weather has nothing else to offer)',
    run: async (ctx) => {
      const h = await harness(ctx);
      ctx.weather.reset();
      ctx.weather.inject({ fault: { kind: 'prefer', prefer: 'code=500' } });
      const result = await h.call('information', 'get_weather', { location: 'Tampa' });
      return { observed: describe(result), ok: result.status === 502 && result.body.error_type === 'weather_error' };
    },
  },
  {
    fault: 'DynamoDB unreachable',
    expected: '500 storage_unavailable, no PF360 call',
    run: async (ctx) => {
      const h = await harness(ctx);
      const dead = createSchedulingHandler(
        createActionDeps('test-faults', {
          ...ctx.env,
          ...testHttpEnv,
          PF360_BASE_URL: ctx.pf360.url,
          AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
        }),
      );
      ctx.pf360.reset();
      const result = await callAction(dead, 'scheduling', 'list_projects', h.sessionId);
      return {
        observed: `${describe(result)}, ${ctx.pf360.requests.length} PF360 call(s)`,
        ok:
          result.status === 500 && result.body.error_type === 'storage_unavailable' && ctx.pf360.requests.length === 0,
      };
    },
  },
  {
    fault: 'DynamoDB stops in the middle of a booking, then comes back',
    expected: '500 while down with no PF360 write; after the restart the flow resumes from the stored request',
    run: async (ctx) => {
      const dynamo = await ctx.restartableDynamoDb();
      const h = await harness(ctx, dynamo.env);
      const dates = await h.call('scheduling', 'get_available_dates', { project_id: '12347' });
      await dynamo.stop();
      ctx.pf360.reset();
      const slotsDown = await h.call('scheduling', 'get_time_slots', { project_id: '12347', date: '2026-12-02' });
      const bookDown = await h.call('scheduling', 'confirm_appointment', {
        project_id: '12347',
        date: '2026-12-02',
        time: '10:00 AM',
      });
      const callsWhileDown = ctx.pf360.requests.length;
      await dynamo.start();
      const slots = await h.call('scheduling', 'get_time_slots', { project_id: '12347', date: '2026-12-02' });
      const booked = await h.call('scheduling', 'confirm_appointment', {
        project_id: '12347',
        date: '2026-12-02',
        time: '10:00 AM',
      });
      const resumedWith = ctx.pf360.matching('GET', pf360Paths.slots)[0]?.query.get('request_id');
      const writes = ctx.pf360.matching('POST', pf360Paths.schedule).length;
      await dynamo.stop();
      return {
        observed: `dates ${dates.status}; down: slots ${describe(slotsDown)}, booking ${describe(bookDown)}, ${callsWhileDown} PF360 call(s); restarted: slots ${slots.status} (request ${resumedWith}), booking ${booked.status}, ${writes} write(s)`,
        ok:
          dates.status === 200 &&
          slotsDown.status === 500 &&
          bookDown.status === 500 &&
          callsWhileDown === 0 &&
          slots.status === 200 &&
          resumedWith === 'REQ-12347-1764061200' &&
          booked.status === 200 &&
          writes === 1,
      };
    },
  },
  {
    fault: 'Idempotency store unavailable when booking',
    expected: '500 storage_unavailable, no PF360 write, the offer kept for a retry',
    run: async (ctx) => {
      const h = await harness(ctx, { IDEMPOTENCY_TABLE: 'no-such-table' });
      await offerSlots(h, '12347', '2026-12-02');
      ctx.pf360.reset();
      const result = await h.call('scheduling', 'confirm_appointment', {
        project_id: '12347',
        date: '2026-12-02',
        time: '10:00 AM',
      });
      const writes = ctx.pf360.matching('POST', pf360Paths.schedule).length;
      const kept = ((await h.session()) as { scheduling?: Record<string, { requestId?: string }> } | undefined)
        ?.scheduling?.['12347']?.requestId;
      return {
        observed: `${describe(result)}, ${writes} PF360 write(s), offer ${kept ? 'kept' : 'LOST'}`,
        ok: result.status === 500 && result.body.error_type === 'storage_unavailable' && writes === 0 && !!kept,
      };
    },
  },
  {
    fault: 'Audit table unavailable when booking',
    expected: 'booking still 200; a CRITICAL log line carries the entry',
    run: async (ctx) => {
      const h = await harness(ctx, { AUDIT_TABLE: 'no-such-audit-table' });
      const critical = h.deps.logger.critical.bind(h.deps.logger);
      const logged: unknown[] = [];
      h.deps.logger.critical = (message: string, ...extra: unknown[]) => {
        logged.push(extra[0]);
        critical(message, ...(extra as []));
      };
      await offerSlots(h, '12347', '2026-12-02');
      const result = await h.call('scheduling', 'confirm_appointment', {
        project_id: '12347',
        date: '2026-12-02',
        time: '10:00 AM',
      });
      const entry = (logged[0] as { audit_entry?: { operation?: string; outcome?: string } } | undefined)?.audit_entry;
      return {
        observed: `${describe(result)}, ${logged.length} CRITICAL line(s) (${entry?.operation} ${entry?.outcome})`,
        ok:
          result.status === 200 &&
          logged.length === 1 &&
          entry?.operation === 'confirm_appointment' &&
          entry.outcome === 'succeeded',
      };
    },
  },
  concurrentWrite({
    fault: 'Five identical bookings at the same moment',
    group: 'scheduling',
    operation: 'confirm_appointment',
    values: { project_id: '12347', date: '2026-12-02', time: '10:00 AM' },
    prepare: (h) => offerSlots(h, '12347', '2026-12-02'),
    write: { method: 'POST', path: pf360Paths.schedule },
  }),
  concurrentWrite({
    fault: 'Five identical reschedules at the same moment',
    group: 'scheduling',
    operation: 'reschedule_appointment',
    values: { project_id: '12345', date: '2026-12-08', time: '01:00 PM' },
    prepare: (h) => offerSlots(h, '12345', '2026-12-08'),
    write: { method: 'POST', path: pf360Paths.schedule },
  }),
  concurrentWrite({
    fault: 'Five identical cancels at the same moment',
    group: 'scheduling',
    operation: 'cancel_appointment',
    values: { project_id: '12345' },
    write: { method: 'GET', path: pf360Paths.cancel },
  }),
  concurrentWrite({
    fault: 'Five identical notes at the same moment',
    group: 'notes',
    operation: 'add_note',
    values: { project_id: '12345', note_text: 'Please call before arriving.' },
    write: { method: 'POST', path: pf360Paths.addNote },
  }),
  {
    fault: 'Repeated cancel, reschedule and note (a retried turn)',
    expected: 'one PF360 write each; each repeat gets the first result',
    run: async (ctx) => {
      const twice = async (h: Harness, group: ActionGroupName, op: string, values: Record<string, string>) => [
        await h.call(group, op, values),
        await h.call(group, op, values),
      ];
      const moving = await harness(ctx);
      await moving.call('scheduling', 'get_available_dates', { project_id: '12345' });
      await moving.call('scheduling', 'get_time_slots', { project_id: '12345', date: '2026-12-08' });
      ctx.pf360.reset();
      const reschedule = await twice(moving, 'scheduling', 'reschedule_appointment', {
        project_id: '12345',
        date: '2026-12-08',
        time: '01:00 PM',
      });
      const rescheduleWrites = ctx.pf360.matching('POST', pf360Paths.schedule).length;
      const cancelling = await harness(ctx);
      const cancel = await twice(cancelling, 'scheduling', 'cancel_appointment', { project_id: '12345' });
      const note = await twice(cancelling, 'notes', 'add_note', {
        project_id: '12345',
        note_text: 'Please call before arriving.',
      });
      const writes = [
        rescheduleWrites,
        ctx.pf360.matching('GET', pf360Paths.cancel).length,
        ctx.pf360.matching('POST', pf360Paths.addNote).length,
      ];
      const pairs = [reschedule, cancel, note];
      return {
        observed: pairs
          .map(
            (pair, i) =>
              `${['reschedule', 'cancel', 'note'][i]} ${pair.map((r) => r.status).join('/')} (${writes[i]} write)`,
          )
          .join(', '),
        ok: writes.every((w) => w === 1) && pairs.every(([a, b]) => a?.status === 200 && same(a.body, b?.body)),
      };
    },
  },
];

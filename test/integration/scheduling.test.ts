/**
 * The scheduling action group end to end: genuine Bedrock events → handler → PF360 (Prism,
 * behind a recording proxy) → sessions in DynamoDB Local. Real connections throughout.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSchedulingHandler } from '../../src/action-groups/scheduling/index.js';
import type { WritingActionDeps } from '../../src/action-groups/shared/context.js';
import { createActionDeps } from '../../src/action-groups/shared/wiring.js';
import { DynamoDbAuditLog } from '../../src/adapters/dynamodb/audit-log.js';
import { createDocumentClient } from '../../src/adapters/dynamodb/client.js';
import { DynamoDbSessionStore } from '../../src/adapters/dynamodb/session-store.js';
import { auditTable } from '../../src/adapters/dynamodb/tables.js';
import type { ActionHandler } from '../../src/bedrock/dispatch.js';
import { createLogger, sessionRef } from '../../src/observability/logger.js';
import { actionEnv, callAction } from '../helpers/actions.js';
import { sensitive } from '../helpers/sensitive.js';
import { createSession, demoCustomer, readSessionItem } from '../helpers/sessions.js';
import { pf360Paths, startUpstreamProxy, type UpstreamProxy } from '../helpers/upstream-proxy.js';

let proxy: UpstreamProxy;
beforeAll(async () => {
  proxy = await startUpstreamProxy(process.env.PF360_BASE_URL ?? '');
});
afterAll(() => proxy.close());
beforeEach(() => proxy.reset());

/**
 * The handlers' clock, fixed for a test run but close to the wall clock: DynamoDB Local really
 * deletes items past their TTL, so sessions must not be born expired.
 */
const fixedNow = new Date(Math.floor(Date.now() / 1000) * 1000);
/** Asia/Kolkata is UTC+05:30 all year: PF360's created_at, computed independently of src/domain/time.ts. */
function kolkataTimestamp(at: Date): string {
  const k = new Date(at.getTime() + 5.5 * 3600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(k.getUTCMonth() + 1)}-${two(k.getUTCDate())}-${k.getUTCFullYear()} ${two(k.getUTCHours())}:${two(k.getUTCMinutes())}:${two(k.getUTCSeconds())}`;
}
const todayInNewYork = fixedNow.toLocaleDateString('en-CA', { timeZone: 'America/New_York' });

function deps(overrides: Record<string, string> = {}, patch: Partial<WritingActionDeps> = {}): WritingActionDeps {
  return {
    ...createActionDeps(
      'test-scheduling',
      actionEnv({ PF360_BASE_URL: proxy.url, ENABLE_REAL_CONFIRM: 'true', ENABLE_REAL_CANCEL: 'true', ...overrides }),
    ),
    clock: () => fixedNow,
    ...patch,
  };
}

function handler(overrides: Record<string, string> = {}, patch: Partial<WritingActionDeps> = {}): ActionHandler {
  return createSchedulingHandler(deps(overrides, patch));
}

const call = (h: ActionHandler, operationId: string, sessionId: string, values: Record<string, unknown> = {}) =>
  callAction(h, 'scheduling', operationId, sessionId, values);

async function openSlots(h: ActionHandler, sessionId: string, projectId: string, date = '2026-12-02') {
  expect((await call(h, 'get_available_dates', sessionId, { project_id: projectId })).status).toBe(200);
  expect((await call(h, 'get_time_slots', sessionId, { project_id: projectId, date })).status).toBe(200);
}

/** PF360's own examples in openapi/pf360.yaml (E4 `scheduled`, E5 `cancelled`), which Prism answers. */
const pf360Confirmation = 'CONF-1764088930';
const pf360Cancellation = 'CANC-1764080323';
const retentionDays = 730;

const documents = createDocumentClient();
type AuditItem = Record<string, unknown>;
/**
 * The raw audit items (keys and TTL included) one session left on one project: the table is
 * queried per project, as the README promises, and holds every test's entries, so they are
 * told apart by the session's hashed reference. Sorted by operation, then error type: entries
 * written at the same (fixed) instant have no order of their own.
 */
async function auditItems(sessionId: string, projectId: string): Promise<AuditItem[]> {
  const { Items } = await documents.send(
    new QueryCommand({
      TableName: process.env.AUDIT_TABLE,
      KeyConditionExpression: 'project_key = :p',
      ExpressionAttributeValues: { ':p': `${demoCustomer.clientId}#${projectId}` },
      ConsistentRead: true,
    }),
  );
  const key = (i: AuditItem) => `${i.operation}|${i.outcome}|${i.errorType ?? ''}`;
  return (Items ?? [])
    .filter((i) => i.sessionRef === sessionRef(sessionId))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** What every entry must carry whatever its outcome: who, when, where, no secrets, kept 730 days. */
function expectWellFormedEntry(item: AuditItem | undefined, sessionId: string, projectId: string): void {
  expect(item).toMatchObject({
    project_key: `${demoCustomer.clientId}#${projectId}`,
    at: fixedNow.toISOString(),
    customerId: demoCustomer.customerId,
    clientId: demoCustomer.clientId,
    sessionRef: sessionRef(sessionId),
    projectId,
  });
  expect(String(item?.entry_key).startsWith(`${fixedNow.toISOString()}#`)).toBe(true);
  const serialized = JSON.stringify(item);
  expect(serialized).not.toContain(sensitive.pf360Token);
  expect(serialized).not.toContain(sessionId); // only its hash: the id itself would open the session
  // The attribute the audit table's TTL reads (test/contract/tables.test.ts), in epoch seconds.
  expect(auditTable.ttl).toBe('expires_at');
  expect(Number.isInteger(item?.expires_at)).toBe(true);
  const keptDays = (Number(item?.expires_at) - Date.parse(String(item?.at)) / 1000) / 86_400;
  expect(keptDays).toBeCloseTo(retentionDays, 4);
}

describe('booking a pending project', () => {
  it('runs list → dates → slots → confirm and sends PF360 exactly what it expects', async () => {
    const h = handler();
    const { sessionId } = await createSession({}, fixedNow);

    const list = await call(h, 'list_projects', sessionId);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(4);

    const dates = await call(h, 'get_available_dates', sessionId, { project_id: '12347' });
    expect(dates.status).toBe(200);
    expect(dates.body.dates).toContainEqual({ date: '2026-12-02', weekday: 'Wednesday' });
    expect(JSON.stringify(dates.body)).not.toContain('REQ-');
    const [opening] = proxy.matching('GET', pf360Paths.slots);
    // E2 asks from today (in the customer's zone) with today selected, and no request id yet.
    expect(opening?.path).toBe(
      `/scheduler/client/09PF05VD/project/12347/date/${todayInNewYork}/selected/${todayInNewYork}/get-rescheduler-slots`,
    );
    expect(opening?.query.get('request_id')).toBeNull();

    const slots = await call(h, 'get_time_slots', sessionId, { project_id: '12347', date: '2026-12-02' });
    expect(slots.status).toBe(200);
    expect(slots.body.slots).toContain('10:00 AM');
    const slotQuery = proxy.matching('GET', pf360Paths.slots)[1];
    expect(slotQuery?.path).toContain('/date/2026-12-02/selected/2026-12-02/');
    expect(slotQuery?.query.get('request_id')).toBe('REQ-12347-1764061200');

    const booked = await call(h, 'confirm_appointment', sessionId, {
      project_id: '12347',
      date: '2026-12-02',
      time: '10:00 AM',
    });
    expect(booked.status).toBe(200);
    expect(booked.body).toMatchObject({
      project_id: '12347',
      scheduled_date: '2026-12-02',
      scheduled_time: '10:00 AM',
      confirmation_number: 'CONF-1764088930',
      test_mode: false,
    });

    const [write] = proxy.matching('POST', pf360Paths.schedule);
    expect(write?.path).toBe('/scheduler/client/09PF05VD/project/12347/schedule');
    expect(JSON.parse(write?.body ?? '{}')).toEqual({
      created_at: kolkataTimestamp(fixedNow),
      date: '2026-12-02',
      time: '10:00 AM',
      request_id: 'REQ-12347-1764061200',
      is_chatbot: 'true',
    });
    expect(write?.headers.authorization).toBe(demoCustomer.authToken);
    expect(write?.headers.client_id).toBe('09PF05VD');
    expect(write?.headers.charset).toBe('utf-8');

    // The request is used up; the booking is remembered for status questions.
    const item = await readSessionItem(sessionId);
    expect(item?.scheduling).toEqual({
      '12347': {
        booking: {
          date: '2026-12-02',
          time: '10:00 AM',
          confirmationNumber: 'CONF-1764088930',
          bookedAt: fixedNow.toISOString(),
          requestId: 'REQ-12347-1764061200',
        },
      },
    });

    // The same booking again (a retry) gets the first answer; another slot is refused.
    const again = await call(h, 'confirm_appointment', sessionId, {
      project_id: '12347',
      date: '2026-12-02',
      time: '10:00 AM',
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(booked.body);
    const other = await call(h, 'confirm_appointment', sessionId, {
      project_id: '12347',
      date: '2026-12-02',
      time: '11:00 AM',
    });
    expect(other.status).toBe(409);
    expect(other.body.error_type).toBe('already_scheduled');
    expect(proxy.matching('POST', pf360Paths.schedule)).toHaveLength(1);
  });

  it('keeps two projects apart in one session', async () => {
    const h = handler();
    const { sessionId } = await createSession({}, fixedNow);
    await openSlots(h, sessionId, '12347', '2026-12-02');
    await openSlots(h, sessionId, '12350', '2026-12-04');
    const before = (await readSessionItem(sessionId))?.scheduling as Record<string, unknown>;

    const booked = await call(h, 'confirm_appointment', sessionId, {
      project_id: '12347',
      date: '2026-12-02',
      time: '10:00 AM',
    });
    expect(booked.status).toBe(200);
    const after = (await readSessionItem(sessionId))?.scheduling as Record<string, unknown>;
    expect(after['12350']).toEqual(before['12350']);
    // A slot offered for one project cannot book the other.
    const crossed = await call(h, 'confirm_appointment', sessionId, {
      project_id: '12350',
      date: '2026-12-02',
      time: '10:00 AM',
    });
    expect(crossed.status).toBe(409);
    expect(crossed.body.error_type).toBe('slots_not_fetched');
  });
});

describe('rescheduling and cancelling a scheduled project', () => {
  it('moves the appointment with dates → slots → schedule, never cancelling first', async () => {
    const h = handler();
    const { sessionId } = await createSession({}, fixedNow);
    await openSlots(h, sessionId, '12345', '2026-12-08');
    const moved = await call(h, 'reschedule_appointment', sessionId, {
      project_id: '12345',
      date: '2026-12-08',
      time: '01:00 PM',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      scheduled_date: '2026-12-08',
      scheduled_time: '01:00 PM',
      previous_date: '2026-12-03',
      previous_time: '08:00 AM',
      test_mode: false,
    });
    expect(proxy.matching('POST', pf360Paths.schedule)).toHaveLength(1);
    expect(proxy.matching('GET', pf360Paths.cancel)).toHaveLength(0);
  });

  it('leaves the original appointment standing when the new booking fails', async () => {
    const h = handler();
    const { sessionId } = await createSession({}, fixedNow);
    await openSlots(h, sessionId, '12345', '2026-12-08');
    const before = await readSessionItem(sessionId);
    proxy.inject({ method: 'POST', path: pf360Paths.schedule, fault: { kind: 'prefer', prefer: 'code=500' } });

    const moved = await call(h, 'reschedule_appointment', sessionId, {
      project_id: '12345',
      date: '2026-12-08',
      time: '01:00 PM',
    });
    expect(moved.status).toBe(502);
    expect(moved.body.error_type).toBe('upstream_error');
    expect(moved.body.error).toMatch(/did not confirm/);
    expect(proxy.matching('POST', pf360Paths.schedule)).toHaveLength(1); // a write is never retried
    expect(proxy.matching('GET', pf360Paths.cancel)).toHaveLength(0);
    expect(await readSessionItem(sessionId)).toEqual(before);

    const list = await call(h, 'list_projects', sessionId);
    expect((list.body.projects as { project_id: string }[]).find((p) => p.project_id === '12345')).toMatchObject({
      status: 'Scheduled',
      scheduled_date: '2026-12-03',
      scheduled_time: '08:00 AM',
    });
  });

  it('refuses to reschedule a project without an appointment, or to confirm one that has one', async () => {
    const h = handler();
    const { sessionId } = await createSession({}, fixedNow);
    await openSlots(h, sessionId, '12347');
    await openSlots(h, sessionId, '12345');
    const reschedule = await call(h, 'reschedule_appointment', sessionId, {
      project_id: '12347',
      date: '2026-12-02',
      time: '10:00 AM',
    });
    expect(reschedule.status).toBe(409);
    expect(reschedule.body.error).toMatch(/confirm_appointment/);
    const confirm = await call(h, 'confirm_appointment', sessionId, {
      project_id: '12345',
      date: '2026-12-02',
      time: '10:00 AM',
    });
    expect(confirm.status).toBe(409);
    expect(confirm.body.error).toMatch(/reschedule_appointment/);
    expect(proxy.matching('POST', pf360Paths.schedule)).toHaveLength(0);
  });

  it('cancels once and shows the project as cancelled afterwards', async () => {
    const h = handler();
    const { sessionId } = await createSession({}, fixedNow);
    const cancelled = await call(h, 'cancel_appointment', sessionId, { project_id: '12345' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ cancelled: true, cancellation_id: 'CANC-1764080323', test_mode: false });
    expect(proxy.matching('GET', pf360Paths.cancel)).toHaveLength(1);

    // A retried cancel gets the first answer; nothing is sent again.
    const again = await call(h, 'cancel_appointment', sessionId, { project_id: '12345' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(cancelled.body);
    expect(proxy.matching('GET', pf360Paths.cancel)).toHaveLength(1);

    const list = await call(h, 'list_projects', sessionId);
    expect((list.body.projects as { project_id: string }[]).find((p) => p.project_id === '12345')).toMatchObject({
      status: 'Cancelled',
      scheduled_date: null,
    });
    // Cancelling a project without an appointment is refused.
    const none = await call(h, 'cancel_appointment', sessionId, { project_id: '12347' });
    expect(none.status).toBe(409);
    expect(none.body.error_type).toBe('not_scheduled');
  });
});

describe('with the write flags off', () => {
  it('answers test_mode and sends no write to PF360', async () => {
    const h = handler({ ENABLE_REAL_CONFIRM: 'false', ENABLE_REAL_CANCEL: 'false' });
    const { sessionId } = await createSession({}, fixedNow);
    await openSlots(h, sessionId, '12347');
    const confirm = await call(h, 'confirm_appointment', sessionId, {
      project_id: '12347',
      date: '2026-12-02',
      time: '10:00 AM',
    });
    expect(confirm.status).toBe(200);
    expect(confirm.body).toMatchObject({ test_mode: true, confirmation_number: null });
    await openSlots(h, sessionId, '12345');
    const reschedule = await call(h, 'reschedule_appointment', sessionId, {
      project_id: '12345',
      date: '2026-12-02',
      time: '09:00 AM',
    });
    expect(reschedule.body).toMatchObject({ test_mode: true });
    const cancel = await call(h, 'cancel_appointment', sessionId, { project_id: '12345' });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ test_mode: true, cancelled: false });

    expect(proxy.matching('POST', pf360Paths.schedule)).toHaveLength(0);
    expect(proxy.matching('GET', pf360Paths.cancel)).toHaveLength(0);
    expect(proxy.requests.length).toBeGreaterThan(0); // the reads did reach PF360

    // Each attempt is still audited, as test_mode and with no PF360 id.
    const pending = await auditItems(sessionId, '12347');
    expect(pending).toHaveLength(1);
    expectWellFormedEntry(pending[0], sessionId, '12347');
    expect(pending[0]).toMatchObject({
      operation: 'confirm_appointment',
      parameters: { date: '2026-12-02', time: '10:00 AM' },
      outcome: 'test_mode',
      confirmationId: null,
    });
    const scheduled = await auditItems(sessionId, '12345');
    expect(scheduled.map((i) => [i.operation, i.outcome, i.confirmationId])).toEqual([
      ['cancel_appointment', 'test_mode', null],
      ['reschedule_appointment', 'test_mode', null],
    ]);
    for (const item of scheduled) expectWellFormedEntry(item, sessionId, '12345');
  });
});

describe('audit trail of scheduling writes', () => {
  it("records a real booking once, with who, what, when, the outcome and PF360's confirmation, for 730 days", async () => {
    const h = handler();
    const { sessionId } = await createSession({}, fixedNow);
    await openSlots(h, sessionId, '12347');
    const booked = await call(h, 'confirm_appointment', sessionId, {
      project_id: '12347',
      date: '2026-12-02',
      time: '10:00 AM',
    });
    expect(booked.status).toBe(200);
    expect(booked.body.confirmation_number).toBe(pf360Confirmation);

    const items = await auditItems(sessionId, '12347');
    expect(items).toHaveLength(1); // the reads before it are not audited; the booking once
    const [entry] = items;
    expectWellFormedEntry(entry, sessionId, '12347');
    expect(entry).toEqual({
      project_key: '09PF05VD#12347',
      entry_key: expect.any(String),
      at: fixedNow.toISOString(),
      customerId: '1645975',
      clientId: '09PF05VD',
      sessionRef: sessionRef(sessionId),
      operation: 'confirm_appointment',
      projectId: '12347',
      parameters: { date: '2026-12-02', time: '10:00 AM' },
      outcome: 'succeeded',
      confirmationId: pf360Confirmation,
      expires_at: expect.any(Number),
    });

    // The port reads the same entry back per project, without the table's own attributes.
    const port = new DynamoDbAuditLog(documents, process.env.AUDIT_TABLE ?? '', retentionDays, createLogger('test'));
    const listed = (await port.listForProject('09PF05VD', '12347')).filter(
      (e) => e.sessionRef === sessionRef(sessionId),
    );
    const { project_key: _p, entry_key: _e, expires_at: _x, ...stored } = entry as AuditItem;
    expect(listed).toEqual([stored]);

    // A retry is answered from the first result and audited as replayed, with the same confirmation.
    const again = await call(h, 'confirm_appointment', sessionId, {
      project_id: '12347',
      date: '2026-12-02',
      time: '10:00 AM',
    });
    expect(again.body).toEqual(booked.body);
    expect((await auditItems(sessionId, '12347')).map((i) => [i.outcome, i.confirmationId])).toEqual([
      ['replayed', pf360Confirmation],
      ['succeeded', pf360Confirmation],
    ]);
  });

  it("records a reschedule and a cancel, each with PF360's id", async () => {
    const h = handler();
    const { sessionId } = await createSession({}, fixedNow);
    await openSlots(h, sessionId, '12345', '2026-12-08');
    const moved = await call(h, 'reschedule_appointment', sessionId, {
      project_id: '12345',
      date: '2026-12-08',
      time: '01:00 PM',
    });
    expect(moved.status).toBe(200);
    const cancelled = await call(h, 'cancel_appointment', sessionId, { project_id: '12345' });
    expect(cancelled.status).toBe(200);

    const items = await auditItems(sessionId, '12345');
    expect(items).toHaveLength(2);
    for (const item of items) expectWellFormedEntry(item, sessionId, '12345');
    expect(items[0]).toMatchObject({
      operation: 'cancel_appointment',
      parameters: {},
      outcome: 'succeeded',
      confirmationId: pf360Cancellation,
    });
    expect(items[1]).toMatchObject({
      operation: 'reschedule_appointment',
      parameters: { date: '2026-12-08', time: '01:00 PM' },
      outcome: 'succeeded',
      confirmationId: pf360Confirmation,
    });
    expect(items.map((i) => i.errorType)).toEqual(items.map(() => undefined));
  });

  // A failed write (PF360 500, 401 or timeout on confirm, reschedule or cancel) is audited as
  // 'failed' with its error type in "PF360 faults at each step"; test mode in "with the write flags
  // off"; rejected attempts in "guards".
});

describe('guards', () => {
  it('refuses slots before dates with a 409 that names the action to call first', async () => {
    const h = handler();
    const { sessionId } = await createSession({}, fixedNow);
    const slots = await call(h, 'get_time_slots', sessionId, { project_id: '12347', date: '2026-12-02' });
    expect(slots.status).toBe(409);
    expect(slots.body.error_type).toBe('dates_not_fetched');
    expect(slots.body.error).toMatch(/get_available_dates/);
    expect(proxy.matching('GET', pf360Paths.slots)).toHaveLength(0);
  });

  it('refuses slots for a date that was not offered', async () => {
    const h = handler();
    const { sessionId } = await createSession({}, fixedNow);
    await call(h, 'get_available_dates', sessionId, { project_id: '12347' });
    const slots = await call(h, 'get_time_slots', sessionId, { project_id: '12347', date: '2026-12-05' });
    expect(slots.status).toBe(409);
    expect(slots.body.error_type).toBe('date_not_offered');
  });

  it('refuses a slot that was never offered, and a booking before its slots were fetched', async () => {
    const h = handler();
    const { sessionId } = await createSession({}, fixedNow);
    await call(h, 'get_available_dates', sessionId, { project_id: '12347' });
    const early = await call(h, 'confirm_appointment', sessionId, {
      project_id: '12347',
      date: '2026-12-02',
      time: '10:00 AM',
    });
    expect(early.status).toBe(409);
    expect(early.body.error_type).toBe('slots_not_fetched');
    expect(early.body.error).toMatch(/get_time_slots/);
    await call(h, 'get_time_slots', sessionId, { project_id: '12347', date: '2026-12-02' });
    const invented = await call(h, 'confirm_appointment', sessionId, {
      project_id: '12347',
      date: '2026-12-02',
      time: '12:00 PM',
    });
    expect(invented.status).toBe(409);
    expect(invented.body.error_type).toBe('slot_not_offered');
    expect(proxy.matching('POST', pf360Paths.schedule)).toHaveLength(0);

    // runWrite audits refused attempts too: 'rejected', with the error type and no PF360 id.
    const items = await auditItems(sessionId, '12347');
    expect(items.map((i) => [i.operation, i.outcome, i.errorType, i.confirmationId])).toEqual([
      ['confirm_appointment', 'rejected', 'slot_not_offered', undefined],
      ['confirm_appointment', 'rejected', 'slots_not_fetched', undefined],
    ]);
    for (const item of items) expectWellFormedEntry(item, sessionId, '12347');
    expect(items.map((i) => i.parameters)).toEqual([
      { date: '2026-12-02', time: '12:00 PM' },
      { date: '2026-12-02', time: '10:00 AM' },
    ]);
  });

  it('refuses to reschedule to a slot that was never offered, with no PF360 write', async () => {
    const h = handler();
    const { sessionId } = await createSession({}, fixedNow);
    await openSlots(h, sessionId, '12345', '2026-12-08');
    const before = await readSessionItem(sessionId);
    proxy.reset();
    const invented = await call(h, 'reschedule_appointment', sessionId, {
      project_id: '12345',
      date: '2026-12-08',
      time: '12:00 PM',
    });
    expect(invented.status).toBe(409);
    expect(invented.body.error_type).toBe('slot_not_offered');
    expect(invented.body.error).toMatch(/12:00 PM on 2026-12-08 was not offered for project 12345/);
    expect(proxy.matching('POST', pf360Paths.schedule)).toHaveLength(0);
    expect(proxy.matching('GET', pf360Paths.cancel)).toHaveLength(0);
    expect(await readSessionItem(sessionId)).toEqual(before);
    const items = await auditItems(sessionId, '12345');
    expect(items).toHaveLength(1);
    expectWellFormedEntry(items[0], sessionId, '12345');
    expect(items[0]).toMatchObject({
      operation: 'reschedule_appointment',
      parameters: { date: '2026-12-08', time: '12:00 PM' },
      outcome: 'rejected',
      errorType: 'slot_not_offered',
    });
  });

  it("refuses another customer's project before any PF360 call for it", async () => {
    const h = handler();
    const { sessionId } = await createSession({}, fixedNow);
    await call(h, 'list_projects', sessionId);
    proxy.reset();
    for (const [op, values] of [
      ['get_available_dates', { project_id: '99999' }],
      ['get_time_slots', { project_id: '99999', date: '2026-12-02' }],
      ['confirm_appointment', { project_id: '99999', date: '2026-12-02', time: '10:00 AM' }],
      ['reschedule_appointment', { project_id: '99999', date: '2026-12-02', time: '10:00 AM' }],
      ['cancel_appointment', { project_id: '99999' }],
    ] as const) {
      const result = await call(h, op, sessionId, values);
      expect(result.status, op).toBe(403);
      expect(result.body.error_type, op).toBe('forbidden');
    }
    expect(proxy.requests).toEqual([]);
    // The refused writes are audited against the project they tried to touch.
    expect((await auditItems(sessionId, '99999')).map((i) => [i.operation, i.outcome, i.errorType])).toEqual([
      ['cancel_appointment', 'rejected', 'forbidden'],
      ['confirm_appointment', 'rejected', 'forbidden'],
      ['reschedule_appointment', 'rejected', 'forbidden'],
    ]);
  });

  it('reads only the dashboard to establish ownership when the session has no project list yet', async () => {
    const h = handler();
    const { sessionId } = await createSession({}, fixedNow);
    const result = await call(h, 'get_available_dates', sessionId, { project_id: '99999' });
    expect(result.status).toBe(403);
    expect(proxy.requests.map((r) => r.path)).toEqual(['/dashboard/get/09PF05VD/1645975']);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'refuses the id %s, which every JavaScript object inherits, with no PF360 call for it',
    async (projectId) => {
      const h = handler();
      const { sessionId } = await createSession({}, fixedNow);
      // No project list yet: the one dashboard read establishes ownership.
      const first = await call(h, 'get_available_dates', sessionId, { project_id: projectId });
      expect(first.status, JSON.stringify(first.body)).toBe(403);
      expect(proxy.requests.map((r) => r.path)).toEqual(['/dashboard/get/09PF05VD/1645975']);
      // With the list cached: no PF360 call at all, and the session as it was.
      await call(h, 'list_projects', sessionId);
      proxy.reset();
      const before = await readSessionItem(sessionId);
      for (const op of ['get_available_dates', 'cancel_appointment'] as const) {
        const result = await call(h, op, sessionId, { project_id: projectId });
        expect(result.status, op).toBe(403);
        expect(result.body.error_type, op).toBe('forbidden');
      }
      expect(proxy.requests).toEqual([]);
      expect(await readSessionItem(sessionId)).toEqual(before);
    },
  );

  it('refuses to offer or book dates for completed work (project 12352), with no slot or booking call', async () => {
    const h = handler();
    const { sessionId } = await createSession({}, fixedNow);
    const offered = await call(h, 'get_available_dates', sessionId, { project_id: '12352' });
    expect(offered.status).toBe(409);
    expect(offered.body).toEqual({
      error: 'Project 12352 is Completed; there is nothing to schedule.',
      error_type: 'project_closed',
    });
    expect(proxy.requests.map((r) => r.path)).toEqual(['/dashboard/get/09PF05VD/1645975']);

    proxy.reset();
    const booked = await call(h, 'confirm_appointment', sessionId, {
      project_id: '12352',
      date: '2026-12-02',
      time: '10:00 AM',
    });
    expect(booked.status).toBe(409);
    expect(booked.body.error_type).toBe('project_closed');
    // A refusal stores nothing, so ownership is read from the dashboard again; nothing is booked.
    expect(proxy.requests.map((r) => r.path)).toEqual(['/dashboard/get/09PF05VD/1645975']);
    expect(proxy.matching('POST', pf360Paths.schedule)).toHaveLength(0);
    expect((await auditItems(sessionId, '12352')).map((i) => [i.operation, i.outcome, i.errorType])).toEqual([
      ['confirm_appointment', 'rejected', 'project_closed'],
    ]);
  });

  it('answers 401 for a session past its TTL and for an unknown session', async () => {
    const { sessionId } = await createSession({}, fixedNow);
    const later = handler({}, { clock: () => new Date(fixedNow.getTime() + 31 * 60_000) });
    const expired = await call(later, 'list_projects', sessionId);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({
      error: 'The session expired; please sign in again.',
      error_type: 'session_expired',
    });
    const unknown = await call(handler(), 'list_projects', 'no-such-session');
    expect(unknown.status).toBe(401);
    expect(unknown.body.error_type).toBe('session_missing');
    expect(proxy.requests).toEqual([]);
  });

  it('answers 404 for a route the spec does not declare', async () => {
    const { sessionId } = await createSession({}, fixedNow);
    const envelope = await handler()({
      messageVersion: '1.0',
      sessionId,
      actionGroup: 'scheduling',
      apiPath: '/book-everything',
      httpMethod: 'POST',
      parameters: [],
    });
    expect(envelope.response.httpStatusCode).toBe(404);
    expect(envelope.response.apiPath).toBe('/book-everything');
    expect(JSON.parse(envelope.response.responseBody['application/json'].body).error_type).toBe('unknown_operation');
  });

  it.each([
    ['date', { project_id: '12347', date: '12/02/2026', time: '10:00 AM' }],
    ['date', { project_id: '12347', date: '2026-02-30', time: '10:00 AM' }],
    ['time', { project_id: '12347', date: '2026-12-02', time: '10:00' }],
    ['time', { project_id: '12347', date: '2026-12-02', time: '13:00 PM' }],
    ['project_id', { project_id: '12347; DROP TABLE', date: '2026-12-02', time: '10:00 AM' }],
    ['time', { project_id: '12347', date: '2026-12-02' }],
  ])('answers 400 naming %s for %j, and changes nothing', async (field, values) => {
    const { sessionId } = await createSession({}, fixedNow);
    const before = await readSessionItem(sessionId);
    const result = await call(handler(), 'confirm_appointment', sessionId, values);
    expect(result.status).toBe(400);
    expect(result.body.error_type).toBe('validation_error');
    expect(String(result.body.error).startsWith(field)).toBe(true);
    expect(await readSessionItem(sessionId)).toEqual(before);
    expect(proxy.requests).toEqual([]);
  });
});

describe('PF360 faults at each step', () => {
  const steps = [
    { op: 'list_projects', path: pf360Paths.dashboard, method: 'GET', values: {} },
    { op: 'get_available_dates', path: pf360Paths.slots, method: 'GET', values: { project_id: '12347' } },
    {
      op: 'get_time_slots',
      path: pf360Paths.slots,
      method: 'GET',
      values: { project_id: '12347', date: '2026-12-02' },
    },
    {
      op: 'confirm_appointment',
      path: pf360Paths.schedule,
      method: 'POST',
      values: { project_id: '12347', date: '2026-12-02', time: '10:00 AM' },
    },
    {
      op: 'reschedule_appointment',
      path: pf360Paths.schedule,
      method: 'POST',
      values: { project_id: '12345', date: '2026-12-08', time: '01:00 PM' },
    },
    { op: 'cancel_appointment', path: pf360Paths.cancel, method: 'GET', values: { project_id: '12345' } },
    { op: 'get_business_hours', path: pf360Paths.hours, method: 'GET', values: {} },
  ] as const;
  /**
   * The sentence the agent gets (src/adapters/pf360/http-client.ts, src/adapters/http/resilient-fetch.ts):
   * a failed read says nothing changed and to try again; a failed write must not claim either.
   */
  const faults = [
    {
      name: '500',
      fault: { kind: 'prefer', prefer: 'code=500' },
      status: 502,
      type: 'upstream_error',
      read: /\(HTTP 500\); nothing was changed\. Please try again in a few minutes\./,
      write: /\(HTTP 500\) and did not confirm the change; check the appointment status before trying again\./,
    },
    {
      name: 'timeout',
      fault: { kind: 'delay', ms: 1500 },
      status: 504,
      type: 'upstream_timeout',
      read: /did not answer in time\. Please try again in a minute\./,
      write:
        /did not answer in time\. It may or may not have been applied: check the current state before trying again\./,
    },
    {
      name: '401',
      fault: { kind: 'prefer', prefer: 'code=401' },
      status: 502,
      type: 'upstream_unauthorized',
      read: /no longer accepts this customer's sign-in; ask them to sign in to the portal again\./,
      write: /no longer accepts this customer's sign-in; ask them to sign in to the portal again\./,
    },
  ] as const;
  const writeOps = new Set<string>(['confirm_appointment', 'reschedule_appointment', 'cancel_appointment']);

  for (const step of steps) {
    it.each(faults)(`${step.op}: PF360 $name gives a clear $status and leaves the session unchanged`, async (f) => {
      const h = handler();
      const { sessionId } = await createSession({}, fixedNow);
      // Reach the step: the earlier steps succeed.
      if (step.op !== 'list_projects') await call(h, 'list_projects', sessionId);
      if (step.op === 'get_time_slots') await call(h, 'get_available_dates', sessionId, { project_id: '12347' });
      if (step.op === 'confirm_appointment') await openSlots(h, sessionId, '12347');
      if (step.op === 'reschedule_appointment') await openSlots(h, sessionId, '12345', '2026-12-08');
      const before = await readSessionItem(sessionId);
      proxy.reset();
      proxy.inject({ method: step.method, path: step.path, fault: f.fault });

      const result = await call(h, step.op, sessionId, step.values);
      const isWrite = writeOps.has(step.op);
      expect(result.status).toBe(f.status);
      expect(result.body.error_type).toBe(f.type);
      expect(String(result.body.error)).toMatch(/^The scheduling system /);
      expect(String(result.body.error)).toMatch(isWrite ? f.write : f.read);
      expect(await readSessionItem(sessionId)).toEqual(before);
      // Reads are retried (1 + API_MAX_RETRIES) on 5xx and timeouts; writes and 401s go once.
      const expected = isWrite || f.name === '401' ? 1 : 3;
      expect(proxy.matching(step.method, step.path)).toHaveLength(expected);
      if (isWrite) {
        // The failed attempt is audited: outcome 'failed', its error type, no PF360 id.
        const projectId = (step.values as { project_id: string }).project_id;
        const items = await auditItems(sessionId, projectId);
        expect(items).toHaveLength(1);
        expectWellFormedEntry(items[0], sessionId, projectId);
        expect(items[0]).toMatchObject({ operation: step.op, outcome: 'failed', errorType: f.type });
        expect(items[0]?.confirmationId).toBeUndefined();
      }
    });
  }
});

describe('DynamoDB budget', () => {
  it('costs at most one session read and one write per operation', async () => {
    const client = createDocumentClient();
    const commands: string[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'countCommands' },
    );
    const store = new DynamoDbSessionStore(client, process.env.SESSIONS_TABLE ?? '', 1800);
    const h = handler({}, { sessions: store });
    const { sessionId } = await createSession({}, fixedNow);
    const flow: [string, Record<string, string>][] = [
      ['get_available_dates', { project_id: '12347' }], // no project list yet: dashboard + E2, still one write
      ['list_projects', {}],
      ['get_time_slots', { project_id: '12347', date: '2026-12-02' }],
      ['confirm_appointment', { project_id: '12347', date: '2026-12-02', time: '10:00 AM' }],
      ['get_business_hours', {}],
      ['cancel_appointment', { project_id: '12347' }],
      ['get_available_dates', { project_id: '12345' }],
      ['get_time_slots', { project_id: '12345', date: '2026-12-03' }],
      ['reschedule_appointment', { project_id: '12345', date: '2026-12-03', time: '09:00 AM' }],
    ];
    for (const [op, values] of flow) {
      commands.length = 0;
      const result = await call(h, op, sessionId, values);
      expect(result.status, `${op}: ${JSON.stringify(result.body)}`).toBe(200);
      expect(commands, op).toEqual(['GetItemCommand', 'UpdateItemCommand']);
    }
  });
});

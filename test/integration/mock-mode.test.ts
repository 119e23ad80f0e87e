/**
 * USE_MOCK_API=true answers from openapi/pf360.yaml's (and weather.yaml's) examples in-process:
 * the whole booking flow runs without opening a single socket (sessions, idempotency records and
 * the audit trail live in memory here for that reason).
 */
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pf360Examples } from '../../generated/catalog/pf360-examples.js';
import { createSchedulingHandler } from '../../src/action-groups/scheduling/index.js';
import { createActionDeps } from '../../src/action-groups/shared/wiring.js';
import { InMemorySessionStore } from '../fakes/in-memory-session-store.js';
import { InMemoryAuditLog, InMemoryWriteGuard } from '../fakes/in-memory-writes.js';
import { actionEnv, callAction } from '../helpers/actions.js';
import { demoCustomer } from '../helpers/sessions.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('USE_MOCK_API=true', () => {
  it('serves the spec examples through the whole flow without any network access', async () => {
    const sessions = new InMemorySessionStore();
    const deps = {
      ...createActionDeps(
        'test-mock',
        actionEnv({
          USE_MOCK_API: 'true',
          ENABLE_REAL_CONFIRM: 'true',
          ENABLE_REAL_CANCEL: 'true',
          PF360_BASE_URL: 'http://127.0.0.1:9',
        }),
      ),
      sessions,
      writes: new InMemoryWriteGuard(),
      audit: new InMemoryAuditLog(),
    };
    const handler = createSchedulingHandler(deps);
    const now = deps.clock();
    await sessions.create({ sessionId: 'mock-session', ...demoCustomer, stage: 'test' }, now);
    const connect = vi.spyOn(net.Socket.prototype, 'connect');
    const fetchSpy = vi.spyOn(globalThis, 'fetch');

    const list = await callAction(handler, 'scheduling', 'list_projects', 'mock-session');
    const dashboard = Object.values(pf360Examples.getDashboard['200'])[0];
    expect(list.body.total).toBe(dashboard?.data.length);
    const dates = await callAction(handler, 'scheduling', 'get_available_dates', 'mock-session', {
      project_id: '12350',
    });
    expect((dates.body.dates as { date: string }[]).map((d) => d.date)).toEqual(
      Object.values(pf360Examples.getReschedulerSlots['200'])[0]?.data.dates,
    );
    await callAction(handler, 'scheduling', 'get_time_slots', 'mock-session', {
      project_id: '12350',
      date: '2026-12-02',
    });
    const booked = await callAction(handler, 'scheduling', 'confirm_appointment', 'mock-session', {
      project_id: '12350',
      date: '2026-12-02',
      time: '10:00 AM',
    });
    expect(booked.body).toMatchObject({ test_mode: false, confirmation_number: 'CONF-1764088930' });
    const cancelled = await callAction(handler, 'scheduling', 'cancel_appointment', 'mock-session', {
      project_id: '12345',
    });
    expect(cancelled.body).toMatchObject({ cancelled: true, cancellation_id: 'CANC-1764080323' });
    const hours = await callAction(handler, 'scheduling', 'get_business_hours', 'mock-session');
    expect(hours.body.timezone).toBe('America/New_York');

    expect(connect).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

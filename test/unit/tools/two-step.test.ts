/**
 * Two-step writes (src/tools/two-step.ts) on the real handlers over in-memory adapters: the first
 * call of a write changes nothing and asks; only the second, with the confirmation id issued for
 * exactly those arguments, makes the change, once.
 */
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/chat/confirmations.js';
import { expiryFrom, type Session } from '../../../src/domain/session.js';
import { writeTools } from '../../../src/tools/invoke-tool.js';
import { runWithConfirmation, toolArguments, twoStepTools } from '../../../src/tools/two-step.js';
import { confirmationIdName, confirmationIdProperty } from '../../../src/tools/two-step-schema.js';
import { inMemoryActions } from '../../helpers/in-memory-actions.js';
import { sensitive } from '../../helpers/sensitive.js';

const booking = { project_id: '12350', date: '2026-12-02', time: '10:00 AM' };

async function world() {
  const actions = inMemoryActions();
  const now = new Date();
  const session: Session = {
    sessionId: 'g-two-step-test-session-0123456789abcdef',
    customerId: '1645975',
    clientId: '09PF05VD',
    clientName: 'projectsforce-validation',
    authToken: 'two-step-test-token',
    stage: 'test',
    createdAt: now.toISOString(),
    expiresAt: expiryFrom(now, 1800),
    scheduling: {},
  };
  actions.sessions.seed(session);
  let offsetMs = 0;
  const call = (tool: string, args: unknown) =>
    runWithConfirmation({
      tool,
      args,
      sessionId: session.sessionId,
      invoke: actions.invoke,
      sessions: actions.sessions,
      clock: () => new Date(Date.now() + offsetMs),
    });
  const writes = () =>
    actions.pf360Calls.filter((c) => c.method === 'schedule' || c.method === 'cancel' || c.method === 'addNote');
  // The booking flow's reads, so that the slot is one that was offered.
  await call('list_projects', {});
  await call('get_available_dates', { project_id: booking.project_id });
  await call('get_time_slots', { project_id: booking.project_id, date: booking.date });
  return {
    actions,
    session,
    call,
    writes,
    stored: () => actions.sessions.peek(session.sessionId),
    later: (ms: number) => {
      offsetMs = ms;
    },
  };
}

describe('the two-step surfaces', () => {
  it('give the write tools an optional confirmation_id and the reads none', () => {
    for (const tool of twoStepTools) {
      const properties = tool.inputSchema.properties as Record<string, unknown>;
      expect(properties[confirmationIdName], tool.name).toEqual(
        writeTools.has(tool.name) ? confirmationIdProperty : undefined,
      );
      expect((tool.inputSchema as { required?: string[] }).required ?? []).not.toContain(confirmationIdName);
    }
    expect(twoStepTools.filter((t) => writeTools.has(t.name)).map((t) => t.name)).toEqual([
      'confirm_appointment',
      'reschedule_appointment',
      'cancel_appointment',
      'add_note',
    ]);
  });

  it('keep only the arguments a tool declares: identity and unknown keys are dropped', () => {
    const raw = {
      ...booking,
      confirmation_id: 'c-x',
      customer_id: '7777777',
      client_id: 'EVILCORP',
      session_id: 's-other',
      _pf360: { token: 'x' },
    };
    expect(toolArguments('confirm_appointment', raw)).toEqual({ ...booking, confirmation_id: 'c-x' });
    expect(toolArguments('get_time_slots', raw)).toEqual({ project_id: '12350', date: '2026-12-02' });
    expect(toolArguments('no_such_tool', raw)).toEqual({});
    expect(toolArguments('confirm_appointment', ['12350'])).toEqual({});
  });
});

describe('runWithConfirmation', () => {
  it('runs a read at once', async () => {
    const w = await world();
    const result = await w.call('list_projects', { confirmation_id: 'c-ignored' });
    expect(result.status).toBe(200);
    expect(result.body.total).toBeGreaterThan(0);
  });

  it('answers a write without confirmation_id with the question, the chat’s sentence, and changes nothing', async () => {
    // Prepare
    const w = await world();

    // Act
    const result = await w.call('confirm_appointment', booking);

    // Assess
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      confirmation_required: true,
      confirmation_id: expect.stringMatching(/^c-[A-Za-z0-9_-]{22}$/),
      operation: 'confirm_appointment',
      summary: summarize('confirm_appointment', booking, w.stored() as Session),
      details: booking,
    });
    expect(String(result.body.summary)).toMatch(/^Book project .+ on Wednesday, December 2, 2026 at 10:00 AM\.$/);
    expect(w.writes()).toEqual([]);
    expect(w.actions.audit.entries).toEqual([]);
    expect(w.stored()?.pendingConfirmation).toMatchObject({
      confirmationId: result.body.confirmation_id,
      resume: { kind: 'toolCall', tool: 'confirm_appointment' },
    });
    expect(w.stored()?.scheduling['12350']?.booking).toBeUndefined();
  });

  it('refuses at once, asking nothing, a write that could not be made', async () => {
    const w = await world();
    const result = await w.call('confirm_appointment', { ...booking, time: '04:45 PM' });
    expect(result).toMatchObject({ status: 409, body: { error_type: 'slot_not_offered' } });
    expect(w.stored()?.pendingConfirmation).toBeUndefined();
    expect(w.writes()).toEqual([]);
  });

  it('makes the change on the second call with the id, in any argument order, once', async () => {
    // Prepare
    const w = await world();
    const asked = await w.call('confirm_appointment', booking);
    const id = asked.body.confirmation_id;

    // Act
    const booked = await w.call('confirm_appointment', {
      time: booking.time,
      confirmation_id: id,
      date: booking.date,
      project_id: booking.project_id,
    });
    const replayed = await w.call('confirm_appointment', { ...booking, confirmation_id: id });

    // Assess
    expect(booked).toMatchObject({ status: 200, body: { scheduled_date: '2026-12-02', scheduled_time: '10:00 AM' } });
    expect(replayed).toMatchObject({ status: 404, body: { error_type: 'confirmation_not_found' } });
    expect(String(replayed.body.error)).toContain('without confirmation_id');
    expect(w.writes()).toEqual([{ method: 'schedule', projectId: '12350' }]);
    expect(w.stored()?.pendingConfirmation).toBeUndefined();
  });

  it('makes one change when the same id arrives twice at once', async () => {
    const w = await world();
    const id = (await w.call('confirm_appointment', booking)).body.confirmation_id;
    const results = await Promise.all([
      w.call('confirm_appointment', { ...booking, confirmation_id: id }),
      w.call('confirm_appointment', { ...booking, confirmation_id: id }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 404]);
    expect(w.writes()).toHaveLength(1);
  });

  it.each([
    ['another time', { ...booking, time: '01:00 PM' }, 'confirm_appointment'],
    ['another project', { ...booking, project_id: '12347' }, 'confirm_appointment'],
    ['an extra argument', { ...booking, note_text: sensitive.dogNote }, 'add_note'],
  ])(
    'refuses the id with %s, changes nothing, and the confirmed change can still be made',
    async (_what, args, tool) => {
      // Prepare
      const w = await world();
      const id = (await w.call('confirm_appointment', booking)).body.confirmation_id;

      // Act
      const refused = await w.call(tool, { ...args, confirmation_id: id });
      const confirmed = await w.call('confirm_appointment', { ...booking, confirmation_id: id });

      // Assess
      expect(refused).toMatchObject({ status: 409, body: { error_type: 'confirmation_mismatch' } });
      expect(confirmed.status).toBe(200);
      expect(w.writes()).toEqual([{ method: 'schedule', projectId: '12350' }]);
    },
  );

  it.each([
    ['never issued', 'c-AAAAAAAAAAAAAAAAAAAAAA', 404, 'confirmation_not_found'],
    ['not an id at all', 'yes, the customer agreed', 404, 'confirmation_not_found'],
    ['not text', 12345, 400, 'validation_error'],
  ])('refuses a confirmation id %s and changes nothing', async (_what, id, status, errorType) => {
    const w = await world();
    await w.call('confirm_appointment', booking);
    const result = await w.call('confirm_appointment', { ...booking, confirmation_id: id });
    expect(result).toMatchObject({ status, body: { error_type: errorType } });
    expect(w.writes()).toEqual([]);
    expect(w.stored()?.pendingConfirmation).toBeDefined();
  });

  it('refuses an expired id and changes nothing', async () => {
    const w = await world();
    const id = (await w.call('confirm_appointment', booking)).body.confirmation_id;
    w.later(10 * 60_000 + 1);
    const result = await w.call('confirm_appointment', { ...booking, confirmation_id: id });
    expect(result).toMatchObject({ status: 409, body: { error_type: 'confirmation_expired' } });
    expect(w.writes()).toEqual([]);
  });

  it('refuses the first question’s id once a newer question replaced it', async () => {
    const w = await world();
    const first = (await w.call('confirm_appointment', booking)).body.confirmation_id;
    await w.call('add_note', { project_id: '12350', note_text: sensitive.gateNote });
    const result = await w.call('confirm_appointment', { ...booking, confirmation_id: first });
    expect(result).toMatchObject({ status: 404, body: { error_type: 'confirmation_not_found' } });
    expect(w.writes()).toEqual([]);
  });

  it('takes an empty confirmation_id for none: a first call', async () => {
    const w = await world();
    const result = await w.call('confirm_appointment', { ...booking, confirmation_id: '' });
    expect(result.body.confirmation_required).toBe(true);
    expect(w.writes()).toEqual([]);
  });
});

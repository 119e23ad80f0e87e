/**
 * The writing actions, as a customer books: list → dates → slots → confirm, then status,
 * cancel and a note. Locally it runs with the write flags off (test_mode: nothing reaches PF360)
 * and on (Prism answers the writes). On a deployed stage `npm run test:stage` runs it only when
 * the stage answers from the spec examples or when --allow-real-writes says real bookings are
 * fine; then it cancels the appointment it booked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, stageAudit, stageSessions, writeTargets } from './target.js';

const sessions = stageSessions();

interface Listed {
  project_id: string;
  status: string;
  scheduled_date: string | null;
}

const isClosed = (p: Listed) => /completed|cancel/i.test(p.status);

describe.each(writeTargets())(
  'writes on $label (real booking $writes.realConfirm, real cancel $writes.realCancel)',
  (target) => {
    const { writes } = target;
    let sessionId = '';
    let projects: Listed[] = [];
    let booked: { project_id: string; date: string; time: string; real: boolean } | undefined;

    beforeAll(async () => {
      sessionId = await sessions.create();
      const listed = await call(target, 'scheduling', 'list_projects', sessionId);
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      projects = listed.body.projects as Listed[];
    });
    afterAll(async () => {
      if (sessionId) await sessions.remove(sessionId);
    });

    it('books the first offered slot of an unscheduled project', async () => {
      const project = projects.find((p) => p.scheduled_date === null && !isClosed(p));
      expect(project, 'the customer has no unscheduled open project to book').toBeDefined();
      const project_id = project?.project_id ?? '';

      const dates = await call(target, 'scheduling', 'get_available_dates', sessionId, { project_id });
      expect(dates.status, JSON.stringify(dates.body)).toBe(200);
      expect(dates.violations).toEqual([]);
      const date = (dates.body.dates as Array<{ date: string }>)[0]?.date;
      expect(date, 'PF360 offered no dates').toBeDefined();

      const slots = await call(target, 'scheduling', 'get_time_slots', sessionId, { project_id, date });
      expect(slots.status, JSON.stringify(slots.body)).toBe(200);
      expect(slots.violations).toEqual([]);
      const time = (slots.body.slots as string[])[0];
      expect(time, `PF360 offered no slots on ${date}`).toBeDefined();

      const confirmed = await call(target, 'scheduling', 'confirm_appointment', sessionId, { project_id, date, time });
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
      expect(confirmed.violations).toEqual([]);
      expect(confirmed.body).toMatchObject({
        project_id,
        scheduled_date: date,
        scheduled_time: time,
        test_mode: !writes.realConfirm,
      });
      booked = { project_id, date: date ?? '', time: time ?? '', real: writes.realConfirm };
    });

    it('shows a real booking in the appointment status', async () => {
      expect(booked, 'nothing was booked').toBeDefined();
      if (!booked) return;
      const status = await call(target, 'information', 'get_appointment_status', sessionId, {
        project_id: booked.project_id,
      });
      expect(status.status, JSON.stringify(status.body)).toBe(200);
      expect(status.violations).toEqual([]);
      const shown = JSON.stringify(status.body);
      // In test_mode nothing was booked, so the status must not pretend otherwise.
      expect(shown.includes(booked.date) && shown.includes(booked.time)).toBe(booked.real);
    });

    it('cancels only what it may: its own booking, or anything in test_mode', async () => {
      expect(booked, 'nothing was booked').toBeDefined();
      if (!booked) return;
      if (booked.real) {
        const cancelled = await call(target, 'scheduling', 'cancel_appointment', sessionId, {
          project_id: booked.project_id,
        });
        expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
        expect(cancelled.body).toMatchObject({ test_mode: !writes.realCancel, cancelled: writes.realCancel });
        return;
      }
      const scheduled = projects.find((p) => p.scheduled_date !== null && !isClosed(p));
      if (scheduled && !writes.realCancel) {
        // A customer's existing appointment, but cancellation is off: nothing may reach PF360.
        const cancelled = await call(target, 'scheduling', 'cancel_appointment', sessionId, {
          project_id: scheduled.project_id,
        });
        expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
        expect(cancelled.body).toMatchObject({ test_mode: true, cancelled: false });
        return;
      }
      // Nothing of ours to cancel: the project booked in test_mode still has no appointment.
      const refused = await call(target, 'scheduling', 'cancel_appointment', sessionId, {
        project_id: booked.project_id,
      });
      expect(refused).toMatchObject({ status: 409, body: { error_type: 'not_scheduled' }, violations: [] });
    });

    it('adds a note once, however often the same note is sent', async () => {
      const project_id = projects[0]?.project_id;
      const note_text = `Stage check ${new Date().toISOString()}: please ignore.`;
      const first = await call(target, 'notes', 'add_note', sessionId, { project_id, note_text });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.violations).toEqual([]);
      const again = await call(target, 'notes', 'add_note', sessionId, { project_id, note_text });
      expect(again).toEqual(first);
      // The audit trail shows one note sent to PF360 and one repeat answered from the first result.
      expect(await stageAudit().outcomes(sessionId, String(project_id), 'add_note')).toEqual(['succeeded', 'replayed']);
      const listed = await call(target, 'notes', 'list_notes', sessionId, { project_id });
      expect(listed.status).toBe(200);
      expect(listed.violations).toEqual([]);
    });
  },
);

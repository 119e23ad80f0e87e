/**
 * Writes update only the attributes they change, so concurrent actions in one
 * session do not undo each other (no read-modify-write races). Real DynamoDB Local and Prism.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actionEnv, callAction, factories } from '../helpers/actions.js';
import { createSession, readSessionItem } from '../helpers/sessions.js';

describe('concurrent actions in one session', () => {
  const scheduling = factories.scheduling(actionEnv({ ENABLE_REAL_CONFIRM: 'true' }));
  let sessionId = '';
  let dates: string[] = [];

  beforeAll(async () => {
    ({ sessionId } = await createSession());
    const offered = await callAction(scheduling, 'scheduling', 'get_available_dates', sessionId, {
      project_id: '12347',
    });
    expect(offered.status, JSON.stringify(offered.body)).toBe(200);
    dates = (offered.body.dates as Array<{ date: string }>).map((d) => d.date);
    expect(dates.length).toBeGreaterThanOrEqual(3);
  });

  it('keep the slots of every date fetched at the same time, and each can be booked', async () => {
    const asked = dates.slice(0, 3);
    const answers = await Promise.all(
      asked.map((date) =>
        callAction(scheduling, 'scheduling', 'get_time_slots', sessionId, { project_id: '12347', date }),
      ),
    );
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(200);

    type Stored = { scheduling: Record<string, { offeredSlots: Record<string, string[]>; requestId: string }> };
    const item = (await readSessionItem(sessionId)) as Stored | undefined;
    const state = item?.scheduling['12347'];
    expect(Object.keys(state?.offeredSlots ?? {}).sort()).toEqual([...asked].sort());
    expect(state?.requestId).toBeTruthy();

    const last = asked[asked.length - 1] ?? '';
    const time = state?.offeredSlots[last]?.[0];
    const booked = await callAction(scheduling, 'scheduling', 'confirm_appointment', sessionId, {
      project_id: '12347',
      date: last,
      time,
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(200);
  });
});

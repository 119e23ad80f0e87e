/**
 * Whatever PF360 returns, nothing before today (in the customer's zone) is offered or booked:
 * its answers can lag a day behind, and an offer made before midnight can be taken after it.
 */
import { describe, expect, it } from 'vitest';
import { confirmAppointment } from '../../../../../src/action-groups/scheduling/operations/book.js';
import { getAvailableDates } from '../../../../../src/action-groups/scheduling/operations/get-available-dates.js';
import { getTimeSlots } from '../../../../../src/action-groups/scheduling/operations/get-time-slots.js';
import { projectCache } from '../../../../../src/domain/projects.js';
import type { ReschedulerSlots } from '../../../../../src/ports/pf360.js';
import { appError } from '../../../../helpers/errors.js';
import { operationContext } from '../../../../helpers/operation-context.js';

// 10:30 on Tuesday 2026-12-01 in New York.
const now = new Date('2026-12-01T15:30:00Z');
const answer = (slots: Partial<ReschedulerSlots>) => async () =>
  ({ request_id: 'REQ-1', dates: [], slots: [], ...slots }) as ReschedulerSlots;

describe('get_available_dates', () => {
  it('offers today and later only, and keeps only those in the session', async () => {
    // Prepare
    const context = operationContext({
      now,
      pf360: { getReschedulerSlots: answer({ dates: ['2026-11-30', '2026-12-01', '2026-12-02'] }) },
    });

    // Act
    const result = await getAvailableDates({ project_id: '12347' }, context);

    // Assess
    expect(result.body.dates.map((d) => d.date)).toEqual(['2026-12-01', '2026-12-02']);
    expect(result.body.total).toBe(2);
    expect(result.sessionPatch?.scheduling?.['12347']?.offeredDates).toEqual(['2026-12-01', '2026-12-02']);
  });

  it('says no dates are open when PF360 offers only past ones', async () => {
    // Prepare
    const context = operationContext({ now, pf360: { getReschedulerSlots: answer({ dates: ['2026-11-30'] }) } });

    // Act
    const result = await getAvailableDates({ project_id: '12347' }, context);

    // Assess
    expect(result.body.dates).toEqual([]);
    expect(result.body.message).toMatch(/^No dates are open/);
  });
});

describe('get_time_slots', () => {
  it("drops today's slots that have already started", async () => {
    // Prepare
    const context = operationContext({
      now,
      session: { scheduling: { '12347': { requestId: 'REQ-1', offeredDates: ['2026-12-01'], offeredSlots: {} } } },
      pf360: { getReschedulerSlots: answer({ slots: ['08:00 AM', '10:00 AM', '11:00 AM', '02:00 PM'] }) },
    });

    // Act
    const result = await getTimeSlots({ project_id: '12347', date: '2026-12-01' }, context);

    // Assess
    expect(result.body.slots).toEqual(['11:00 AM', '02:00 PM']);
    expect(result.sessionPatch?.offeredSlots).toEqual({ '12347': { '2026-12-01': ['11:00 AM', '02:00 PM'] } });
  });
});

describe('confirm_appointment', () => {
  it('refuses a slot offered before it passed, and sends nothing to PF360', async () => {
    // Prepare: offered at 09:00; the customer says yes at 10:30, after the 10:00 slot began.
    let sent = 0;
    const context = operationContext({
      now,
      session: {
        scheduling: {
          '12350': { requestId: 'REQ-1', offeredDates: ['2026-12-01'], offeredSlots: { '2026-12-01': ['10:00 AM'] } },
        },
      },
      pf360: {
        schedule: async () => {
          sent += 1;
          return { message: 'scheduled' };
        },
      },
    });
    context.session.projects = projectCache(await context.pf360.getDashboard(context.who));
    const { perform } = await confirmAppointment.prepare(
      { project_id: '12350', date: '2026-12-01', time: '10:00 AM' },
      context,
    );

    // Act
    const error = await appError(perform());

    // Assess
    expect(error.errorType).toBe('slot_not_offered');
    expect(error.message).toContain('has already passed');
    expect(sent).toBe(0);
  });
});

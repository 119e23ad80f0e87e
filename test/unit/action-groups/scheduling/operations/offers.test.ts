import { describe, expect, it } from 'vitest';
import {
  requireOfferedDate,
  requireOfferedSlot,
  requireOpenRequest,
} from '../../../../../src/action-groups/scheduling/operations/offers.js';
import { AppError } from '../../../../../src/domain/errors.js';
import type { ProjectScheduling } from '../../../../../src/domain/session.js';
import { thrown } from '../../../../helpers/errors.js';

/** Runs `act` and returns what it threw, failing the test if it did not throw. */
function conflict(act: () => unknown): AppError {
  const error = thrown(act);
  if (!(error instanceof AppError)) throw new Error(`expected a AppError, got ${String(error)}`);
  return error;
}

const offered: ProjectScheduling = {
  requestId: 'req-1',
  offeredDates: ['2026-12-02', '2026-12-03'],
  offeredSlots: { '2026-12-02': ['08:00 AM', '10:00 AM', '01:30 PM'] },
};

describe('requireOpenRequest', () => {
  const notOpen: [string, ProjectScheduling | undefined][] = [
    ['there is no scheduling state', undefined],
    ['there is no request id', { offeredDates: ['2026-12-02'] }],
    ['there are no offered dates', { requestId: 'req-1' }],
    ['the request id is empty', { requestId: '', offeredDates: ['2026-12-02'] }],
    [
      'only a booking is remembered',
      { booking: { date: 'd', time: 't', confirmationNumber: null, bookedAt: 'b', requestId: 'req-0' } },
    ],
  ];

  it.each(notOpen)('throws dates_not_fetched when %s', (_label, state) => {
    // Act
    const error = conflict(() => requireOpenRequest(state, '12347'));

    // Assess
    expect(error.status).toBe(409);
    expect(error.errorType).toBe('dates_not_fetched');
    expect(error.message).toContain('12347');
    expect(error.message).toContain('get_available_dates');
  });

  it('passes when dates were offered under a request', () => {
    // Act
    const act = () => requireOpenRequest(offered, '12347');

    // Assess
    expect(act).not.toThrow();
  });

  it('passes when the request offered no dates at all', () => {
    // Act
    const act = () => requireOpenRequest({ requestId: 'req-1', offeredDates: [] }, '12347');

    // Assess
    expect(act).not.toThrow();
  });
});

describe('requireOfferedDate', () => {
  it('passes for an offered date', () => {
    // Act
    const act = () => requireOfferedDate({ offeredDates: ['2026-12-02'] }, '12347', '2026-12-02');

    // Assess
    expect(act).not.toThrow();
  });

  it('throws date_not_offered listing the offered dates', () => {
    // Act
    const error = conflict(() =>
      requireOfferedDate({ offeredDates: ['2026-12-02', '2026-12-03'] }, '12347', '2026-12-09'),
    );

    // Assess
    expect(error.status).toBe(409);
    expect(error.errorType).toBe('date_not_offered');
    expect(error.message).toBe(
      '2026-12-09 is not one of the dates offered for project 12347 (2026-12-02, 2026-12-03). Offer one of those dates, or call get_available_dates again.',
    );
  });

  it('lists at most eight offered dates, then an ellipsis', () => {
    // Prepare
    const offeredDates = Array.from({ length: 12 }, (_, i) => `2026-12-${String(i + 1).padStart(2, '0')}`);

    // Act
    const error = conflict(() => requireOfferedDate({ offeredDates }, '12347', '2027-01-01'));

    // Assess
    expect(error.message).toContain(
      '(2026-12-01, 2026-12-02, 2026-12-03, 2026-12-04, 2026-12-05, 2026-12-06, 2026-12-07, 2026-12-08, …)',
    );
    expect(error.message).not.toContain('2026-12-09');
  });

  it('says no dates are open when none were offered', () => {
    // Act
    const error = conflict(() => requireOfferedDate({ offeredDates: [] }, '12347', '2026-12-02'));

    // Assess
    expect(error.errorType).toBe('date_not_offered');
    expect(error.message).toBe('No dates are open for project 12347; call get_available_dates again later.');
  });

  it('matches the date exactly, not by prefix', () => {
    // Act
    const error = conflict(() => requireOfferedDate({ offeredDates: ['2026-12-02'] }, '12347', '2026-12-0'));

    // Assess
    expect(error.errorType).toBe('date_not_offered');
  });
});

describe('requireOfferedSlot', () => {
  it('passes for a slot get_time_slots offered on an offered date', () => {
    // Act
    const act = () => requireOfferedSlot(offered, '12347', '2026-12-02', '10:00 AM');

    // Assess
    expect(act).not.toThrow();
  });

  it('throws dates_not_fetched when no dates were fetched for the project', () => {
    // Act
    const error = conflict(() => requireOfferedSlot(undefined, '12347', '2026-12-02', '10:00 AM'));

    // Assess
    expect(error.status).toBe(409);
    expect(error.errorType).toBe('dates_not_fetched');
  });

  it('throws date_not_offered for a date outside the offer', () => {
    // Act
    const error = conflict(() => requireOfferedSlot(offered, '12347', '2026-12-24', '10:00 AM'));

    // Assess
    expect(error.status).toBe(409);
    expect(error.errorType).toBe('date_not_offered');
  });

  it('throws slots_not_fetched for an offered date whose slots were never fetched', () => {
    // Act
    const error = conflict(() => requireOfferedSlot(offered, '12347', '2026-12-03', '10:00 AM'));

    // Assess
    expect(error.status).toBe(409);
    expect(error.errorType).toBe('slots_not_fetched');
    expect(error.message).toContain('2026-12-03');
    expect(error.message).toContain('get_time_slots');
  });

  it('throws slots_not_fetched when no slots were fetched at all', () => {
    // Prepare
    const state: ProjectScheduling = { requestId: 'req-1', offeredDates: ['2026-12-02'] };

    // Act
    const error = conflict(() => requireOfferedSlot(state, '12347', '2026-12-02', '10:00 AM'));

    // Assess
    expect(error.errorType).toBe('slots_not_fetched');
  });

  it('throws slot_not_offered for a time that was not offered, listing the open slots', () => {
    // Act
    const error = conflict(() => requireOfferedSlot(offered, '12347', '2026-12-02', '11:00 AM'));

    // Assess
    expect(error.status).toBe(409);
    expect(error.errorType).toBe('slot_not_offered');
    expect(error.message).toBe(
      '11:00 AM on 2026-12-02 was not offered for project 12347. The open slots that day are 08:00 AM, 10:00 AM, 01:30 PM; use one of them exactly as written.',
    );
  });

  it.each(['10:00AM', '10:00 am', '10:00', ' 10:00 AM'])(
    'requires the slot exactly as written, rejecting %j',
    (time) => {
      // Act
      const error = conflict(() => requireOfferedSlot(offered, '12347', '2026-12-02', time));

      // Assess
      expect(error.errorType).toBe('slot_not_offered');
    },
  );

  it('says no slots are open on a date whose slot list came back empty', () => {
    // Prepare
    const state: ProjectScheduling = { ...offered, offeredSlots: { '2026-12-02': [] } };

    // Act
    const error = conflict(() => requireOfferedSlot(state, '12347', '2026-12-02', '10:00 AM'));

    // Assess
    expect(error.errorType).toBe('slot_not_offered');
    expect(error.message).toBe('No slots are open on 2026-12-02 for project 12347; offer another date.');
  });

  it('does not accept a slot offered for another date', () => {
    // Prepare
    const state: ProjectScheduling = {
      requestId: 'req-1',
      offeredDates: ['2026-12-02', '2026-12-03'],
      offeredSlots: { '2026-12-02': ['08:00 AM'], '2026-12-03': ['03:00 PM'] },
    };

    // Act
    const error = conflict(() => requireOfferedSlot(state, '12347', '2026-12-02', '03:00 PM'));

    // Assess
    expect(error.errorType).toBe('slot_not_offered');
  });
});

import { describe, expect, it } from 'vitest';
import { notPast, slotMinute } from '../../../src/domain/time.js';

describe('notPast', () => {
  // 10:30 in New York on 2026-12-01.
  const now = new Date('2026-12-01T15:30:00Z');

  it("offers no date before today in the customer's zone", () => {
    // Act
    const dates = notPast(now, 'America/New_York').dates(['2026-11-30', '2026-12-01', '2026-12-02']);

    // Assess
    expect(dates).toEqual(['2026-12-01', '2026-12-02']);
  });

  it('takes today in the customer zone, not the server clock', () => {
    // Prepare: 14:30 on 2026-12-01 in New York is already 01:00 on 2026-12-02 in Kolkata.
    const evening = new Date('2026-12-01T19:30:00Z');

    // Act
    const inKolkata = notPast(evening, 'Asia/Kolkata').dates(['2026-12-01', '2026-12-02']);
    const inNewYork = notPast(evening, 'America/New_York').dates(['2026-12-01', '2026-12-02']);

    // Assess
    expect(inKolkata).toEqual(['2026-12-02']);
    expect(inNewYork).toEqual(['2026-12-01', '2026-12-02']);
  });

  it('offers of today only the slots that have not started yet', () => {
    // Act
    const slots = notPast(now, 'America/New_York').slots('2026-12-01', [
      '08:00 AM',
      '10:30 AM',
      '11:00 AM',
      '01:00 PM',
    ]);

    // Assess
    expect(slots).toEqual(['11:00 AM', '01:00 PM']);
  });

  it('offers every slot of a later date and none of an earlier one', () => {
    // Prepare
    const open = notPast(now, 'America/New_York');

    // Act
    const later = open.slots('2026-12-02', ['08:00 AM']);
    const earlier = open.slots('2026-11-30', ['08:00 AM']);

    // Assess
    expect([later, earlier]).toEqual([['08:00 AM'], []]);
  });
});

describe('slotMinute', () => {
  it.each([
    ['12:00 AM', 0],
    ['12:30 PM', 750],
    ['01:05 PM', 785],
    ['11:59 PM', 1439],
    ['10:00', undefined],
    ['13:00 PM', undefined],
  ])('reads %s as minute %s of the day', (slot, minute) => {
    expect(slotMinute(slot)).toBe(minute);
  });
});

import { describe, expect, it } from 'vitest';
import { summarizeHours, type WorkDay, workDays } from '../../../src/domain/business-hours.js';

const open = (day: string, from = '08:00', to = '17:00'): WorkDay => ({ day, is_working: true, open: from, close: to });
const closed = (day: string): WorkDay => ({ day, is_working: false, open: null, close: null });

describe('workDays', () => {
  it('keeps the hours of working days and clears them on days off', () => {
    // Prepare
    const hours = {
      timezone: 'America/New_York',
      workHours: [
        { day: 'Monday', is_working: true, start: '08:00', end: '17:00' },
        { day: 'Saturday', is_working: false, start: '09:00', end: '13:00' },
        { day: 'Sunday', is_working: true },
      ],
    };

    // Act
    const days = workDays(hours);

    // Assess
    expect(days).toStrictEqual([
      { day: 'Monday', is_working: true, open: '08:00', close: '17:00' },
      { day: 'Saturday', is_working: false, open: null, close: null },
      { day: 'Sunday', is_working: true, open: null, close: null },
    ]);
  });
});

describe('summarizeHours', () => {
  it('groups consecutive days with the same hours', () => {
    // Prepare
    const days = [
      open('Monday'),
      open('Tuesday'),
      open('Wednesday'),
      open('Thursday'),
      open('Friday'),
      open('Saturday', '09:00', '13:00'),
      closed('Sunday'),
    ];

    // Act
    const text = summarizeHours(days, 'America/New_York');

    // Assess
    expect(text).toBe('Monday–Friday 08:00–17:00; Saturday 09:00–13:00; Sunday closed (America/New_York)');
  });

  it('does not group equal days that are not consecutive', () => {
    // Prepare
    const days = [open('Monday'), closed('Tuesday'), open('Wednesday')];

    // Act
    const text = summarizeHours(days, 'UTC');

    // Assess
    expect(text).toBe('Monday 08:00–17:00; Tuesday closed; Wednesday 08:00–17:00 (UTC)');
  });

  it('groups consecutive closed days', () => {
    // Prepare
    const days = [open('Friday'), closed('Saturday'), closed('Sunday')];

    // Act
    const text = summarizeHours(days, 'UTC');

    // Assess
    expect(text).toBe('Friday 08:00–17:00; Saturday–Sunday closed (UTC)');
  });

  it('writes a single group for a week with the same hours every day', () => {
    // Prepare
    const names = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

    // Act
    const text = summarizeHours(
      names.map((d) => open(d)),
      'Asia/Kolkata',
    );

    // Assess
    expect(text).toBe('Monday–Sunday 08:00–17:00 (Asia/Kolkata)');
  });

  it('shows a question mark for a missing opening or closing time', () => {
    // Prepare
    const days: WorkDay[] = [{ day: 'Monday', is_working: true, open: null, close: '17:00' }];

    // Act
    const text = summarizeHours(days, 'UTC');

    // Assess
    expect(text).toBe('Monday ?–17:00 (UTC)');
  });

  it('separates days whose hours differ only in closing time', () => {
    // Prepare
    const days = [open('Monday'), open('Tuesday', '08:00', '16:00')];

    // Act
    const text = summarizeHours(days, 'UTC');

    // Assess
    expect(text).toBe('Monday 08:00–17:00; Tuesday 08:00–16:00 (UTC)');
  });
});

import type { BusinessHours } from '../ports/pf360.js';

export interface WorkDay {
  day: string;
  is_working: boolean;
  open: string | null;
  close: string | null;
}

export function workDays(hours: BusinessHours): WorkDay[] {
  return hours.workHours.map((d) => ({
    day: d.day,
    is_working: d.is_working,
    open: d.is_working ? (d.start ?? null) : null,
    close: d.is_working ? (d.end ?? null) : null,
  }));
}

/** "Monday–Friday 08:00–17:00; Saturday 09:00–13:00; Sunday closed" */
export function summarizeHours(days: WorkDay[], timeZone: string): string {
  const label = (d: WorkDay) => (d.is_working ? `${d.open ?? '?'}–${d.close ?? '?'}` : 'closed');
  const groups: { first: string; last: string; hours: string }[] = [];
  for (const day of days) {
    const hours = label(day);
    const current = groups.at(-1);
    if (current && current.hours === hours) current.last = day.day;
    else groups.push({ first: day.day, last: day.day, hours });
  }
  const text = groups.map((g) => `${g.first === g.last ? g.first : `${g.first}–${g.last}`} ${g.hours}`).join('; ');
  return `${text} (${timeZone})`;
}

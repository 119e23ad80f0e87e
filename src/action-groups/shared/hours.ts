import { summarizeHours, type WorkDay, workDays } from '../../domain/business-hours.js';
import type { ActionContext } from './context.js';

/** E6 for both agents. PF360 may omit the zone; then the configured default is stated, not implied. */
export async function readBusinessHours(
  context: ActionContext,
): Promise<{ timezone: string; days: WorkDay[]; summary: string }> {
  const hours = await context.pf360.getBusinessHours(context.who);
  const timezone = hours.timezone ?? context.config.defaultTimeZone;
  const days = workDays(hours);
  return { timezone, days, summary: summarizeHours(days, timezone) };
}

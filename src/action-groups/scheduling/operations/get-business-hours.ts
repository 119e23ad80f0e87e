import type { OperationResult } from '../../../bedrock/routes.js';
import { summarizeHours, workDays } from '../../../domain/business-hours.js';
import type { ActionContext } from '../../shared/context.js';
import type { BusinessHoursBody } from '../types.js';

/** E6. PF360 may omit the zone; then the configured default is stated rather than implied. */
export async function getBusinessHours(
  _input: unknown,
  context: ActionContext,
): Promise<OperationResult<BusinessHoursBody>> {
  const hours = await context.pf360.getBusinessHours(context.who);
  const timezone = hours.timezone ?? context.config.defaultTimeZone;
  const days = workDays(hours);
  return { body: { timezone, days, summary: summarizeHours(days, timezone) } };
}

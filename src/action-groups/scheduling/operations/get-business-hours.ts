import type { OperationResult } from '../../../bedrock/routes.js';
import type { ActionContext } from '../../shared/context.js';
import { readBusinessHours } from '../../shared/hours.js';
import type { BusinessHoursBody } from '../types.js';

/** E6, as the scheduling agent answers it. */
export async function getBusinessHours(
  _input: unknown,
  context: ActionContext,
): Promise<OperationResult<BusinessHoursBody>> {
  return { body: await readBusinessHours(context) };
}

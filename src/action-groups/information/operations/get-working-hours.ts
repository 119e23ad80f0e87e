import type { OperationResult } from '../../../bedrock/routes.js';
import type { ActionContext } from '../../shared/context.js';
import { readBusinessHours } from '../../shared/hours.js';
import type { WorkingHours } from '../types.js';

/** E6, as the information agent answers it. */
export async function getWorkingHours(_input: unknown, context: ActionContext): Promise<OperationResult<WorkingHours>> {
  return { body: await readBusinessHours(context) };
}

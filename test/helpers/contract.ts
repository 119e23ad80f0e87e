/** Checks an action's answer against the response schema its spec declares for that status. */
import type { ValidateFunction } from 'ajv';
import * as information from '../../generated/validators/information-responses.cjs';
import * as notes from '../../generated/validators/notes-responses.cjs';
import * as scheduling from '../../generated/validators/scheduling-responses.cjs';
import type { ActionGroupName } from '../../src/bedrock/build-event.js';

const byGroup: Record<ActionGroupName, Record<string, unknown>> = { scheduling, information, notes };

/** Empty when `body` matches the spec's schema for (operation, status); the violations otherwise. */
export function responseViolations(
  group: ActionGroupName,
  operationId: string,
  status: number,
  body: unknown,
): string[] {
  const validate = byGroup[group][`${operationId}_${status}`] as ValidateFunction | undefined;
  if (!validate) return [`the spec declares no ${status} response for ${operationId}`];
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

import type { OperationResult } from '../../../bedrock/routes.js';
import { notPast } from '../../../domain/time.js';
import { type ActionContext, customerZone } from '../../shared/context.js';
import { requireOwnedProject } from '../../shared/projects.js';
import type { TimeSlots } from '../types.js';
import { requireOfferedDate, requireOpenRequest } from './offers.js';

/** E3 under the session's request_id; the slots become the only bookable times for that date. */
export async function getTimeSlots(
  input: { project_id: string; date: string },
  context: ActionContext,
): Promise<OperationResult<TimeSlots>> {
  const { project_id: projectId, date } = input;
  const { patch } = await requireOwnedProject(context, projectId);
  const state = context.session.scheduling[projectId];
  requireOpenRequest(state, projectId);
  requireOfferedDate(state, projectId, date);

  const result = await context.pf360.getReschedulerSlots(context.who, projectId, {
    date,
    selectedDate: date,
    requestId: state.requestId,
  });
  const slots = notPast(context.now, customerZone(context)).slots(date, result.slots ?? []);
  return {
    body: {
      project_id: projectId,
      date,
      slots,
      message: slots.length
        ? 'Offer these exact times; pass the chosen one unchanged to confirm_appointment or reschedule_appointment.'
        : 'No time slots are open on this date; offer another of the available dates.',
    },
    // Only this date's slots are written: a concurrent action on the project keeps its change.
    sessionPatch: { ...patch, offeredSlots: { [projectId]: { [date]: slots } } },
  };
}

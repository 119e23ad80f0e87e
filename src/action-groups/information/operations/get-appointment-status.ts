import type { OperationResult } from '../../../bedrock/routes.js';
import { appointmentOf, isClosed, serviceTimeOf, technicianOf } from '../../../domain/projects.js';
import { splitPf360DateTime } from '../../../domain/time.js';
import type { ActionContext } from '../../shared/context.js';
import { readProjectFresh } from '../../shared/projects.js';
import type { AppointmentStatus } from '../types.js';

/**
 * Derived from E1 (PF360 has no status endpoint). A booking or cancellation made in this
 * conversation shows at once, even while the dashboard still lags behind it.
 */
export async function getAppointmentStatus(
  input: { project_id: string },
  context: ActionContext,
): Promise<OperationResult<AppointmentStatus>> {
  const projectId = input.project_id;
  const { item, project, patch } = await readProjectFresh(context, projectId);
  const appointment = appointmentOf(project, context.session.scheduling[projectId]);
  const changeable = appointment.hasAppointment && !isClosed(project);
  const end = appointment.source === 'pf360' ? splitPf360DateTime(item.convertedProjectEndScheduledDate) : undefined;
  return {
    body: {
      project_id: projectId,
      status: appointment.status,
      has_appointment: appointment.hasAppointment,
      scheduled_date: appointment.date,
      scheduled_time: appointment.time,
      scheduled_end_time: end?.time ?? null,
      technician: technicianOf(item),
      duration: serviceTimeOf(item),
      can_reschedule: changeable,
      can_cancel: changeable,
      confirmation_number: appointment.confirmationNumber,
      source: appointment.source,
      message:
        appointment.source === 'conversation'
          ? 'This reflects the change made in this conversation; the office dashboard may take a while to show it.'
          : appointment.hasAppointment
            ? 'The technician calls when on the way.'
            : 'There is no appointment yet; offer to find a date with the scheduling actions.',
    },
    sessionPatch: patch,
  };
}

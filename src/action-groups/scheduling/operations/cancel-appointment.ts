import type { OperationResult } from '../../../bedrock/routes.js';
import { ConflictError } from '../../../domain/errors.js';
import { appointmentOf } from '../../../domain/projects.js';
import type { ActionContext } from '../../shared/context.js';
import { requireOwnedProject } from '../../shared/projects.js';
import type { CancelRequest, CancelResult } from '../types.js';

/** E5 on a project that has an appointment. */
export async function cancelAppointment(
  input: CancelRequest,
  context: ActionContext,
): Promise<OperationResult<CancelResult>> {
  const projectId = input.project_id;
  const { project, patch } = await requireOwnedProject(context, projectId);
  const current = appointmentOf(project, context.session.scheduling[projectId]);
  if (!current.hasAppointment) {
    throw new ConflictError('not_scheduled', `Project ${projectId} has no appointment to cancel.`);
  }
  if (!context.config.enableRealCancel) {
    return {
      body: {
        project_id: projectId,
        cancelled: false,
        cancellation_id: null,
        test_mode: true,
        message: `Test mode: real cancellation is switched off, so nothing was sent to the scheduling system. The appointment${current.date ? ` on ${current.date}` : ''} would be cancelled.`,
      },
      sessionPatch: patch,
    };
  }
  const response = await context.pf360.cancel(context.who, projectId);
  return {
    body: {
      project_id: projectId,
      cancelled: true,
      cancellation_id: response.data?.cancellation_id ?? null,
      test_mode: false,
      message: `The appointment${current.date ? ` on ${current.date}` : ''} is cancelled. Offer to find a new date if the customer wants one.`,
    },
    sessionPatch: { ...patch, scheduling: { [projectId]: { cancelledAt: context.now.toISOString() } } },
    changedUpstream: true,
  };
}

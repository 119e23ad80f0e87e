import type { OperationResult } from '../../../bedrock/routes.js';
import { ConflictError } from '../../../domain/errors.js';
import { type Appointment, appointmentKey, appointmentOf } from '../../../domain/projects.js';
import type { ProjectScheduling, SessionPatch } from '../../../domain/session.js';
import type { ActionContext } from '../../shared/context.js';
import { requireOwnedProject } from '../../shared/projects.js';
import { runWrite } from '../../shared/writes.js';
import type { CancelRequest, CancelResult } from '../types.js';

/** E5 on a project that has an appointment. */
async function perform(
  projectId: string,
  context: ActionContext,
  current: Appointment,
  state: ProjectScheduling | undefined,
  patch: SessionPatch,
): Promise<OperationResult<CancelResult>> {
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
    sessionPatch: {
      ...patch,
      scheduling: {
        [projectId]: {
          cancellation: { cancelledAt: context.now.toISOString(), appointmentKey: appointmentKey(current, state) },
        },
      },
    },
    changedUpstream: true,
  };
}

/**
 * Cancels the project's appointment once: a retry of the same cancel (the appointment is gone by
 * then) is recognised by the appointment it cancelled and gets the first answer.
 */
export function cancelAppointment(
  input: CancelRequest,
  context: ActionContext,
): Promise<OperationResult<CancelResult>> {
  const projectId = input.project_id;
  return runWrite(
    context,
    {
      operation: 'cancel_appointment',
      projectId,
      parameters: {},
      confirmationOf: (body) => body.cancellation_id,
    },
    async () => {
      const { project, patch } = await requireOwnedProject(context, projectId);
      const state = context.session.scheduling[projectId];
      const current = appointmentOf(project, state);
      const target = current.hasAppointment
        ? appointmentKey(current, state)
        : (state?.cancellation?.appointmentKey ?? 'none');
      return { target: `appointment:${target}`, perform: () => perform(projectId, context, current, state, patch) };
    },
  );
}

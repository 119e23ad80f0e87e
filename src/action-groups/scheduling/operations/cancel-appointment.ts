import { defineWrite, type OperationResult } from '../../../bedrock/routes.js';
import { AppError } from '../../../domain/errors.js';
import { type Appointment, appointmentKey, appointmentOf } from '../../../domain/projects.js';
import type { ProjectScheduling, SessionPatch } from '../../../domain/session.js';
import type { ActionContext } from '../../shared/context.js';
import { requireOwnedProject } from '../../shared/projects.js';
import type { CancelRequest, CancelResult } from '../types.js';

function check(projectId: string, current: Appointment): void {
  if (!current.hasAppointment) {
    throw new AppError('not_scheduled', `Project ${projectId} has no appointment to cancel.`);
  }
}

/** E5 on a project that has an appointment. */
async function perform(
  projectId: string,
  context: ActionContext,
  current: Appointment,
  state: ProjectScheduling | undefined,
  patch: SessionPatch,
): Promise<OperationResult<CancelResult>> {
  check(projectId, current);
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
export const cancelAppointment = defineWrite<CancelRequest, CancelResult, ActionContext>({
  describe: (input) => ({ projectId: input.project_id, parameters: {} }),
  prepare: async (input, context) => {
    const projectId = input.project_id;
    const { project, patch } = await requireOwnedProject(context, projectId);
    const state = context.session.scheduling[projectId];
    const current = appointmentOf(project, state);
    const target = current.hasAppointment
      ? appointmentKey(current, state)
      : (state?.cancellation?.appointmentKey ?? 'none');
    return {
      target: `appointment:${target}`,
      check: () => check(projectId, current),
      perform: () => perform(projectId, context, current, state, patch),
    };
  },
  confirmationOf: (body) => body.cancellation_id,
});

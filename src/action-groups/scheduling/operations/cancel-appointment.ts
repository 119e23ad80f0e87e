import type { OperationResult } from '../../../bedrock/routes.js';
import { ConflictError } from '../../../domain/errors.js';
import { appointmentKey, appointmentOf } from '../../../domain/projects.js';
import type { ActionContext } from '../../shared/context.js';
import { requireOwnedProject } from '../../shared/projects.js';
import { runWrite } from '../../shared/writes.js';
import type { CancelRequest, CancelResult } from '../types.js';

/** E5 on a project that has an appointment; a retry of the same cancel gets the first answer. */
async function perform(input: CancelRequest, context: ActionContext): Promise<OperationResult<CancelResult>> {
  const projectId = input.project_id;
  const { project, patch } = await requireOwnedProject(context, projectId);
  const state = context.session.scheduling[projectId];
  const current = appointmentOf(project, state);
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

export function cancelAppointment(
  input: CancelRequest,
  context: ActionContext,
): Promise<OperationResult<CancelResult>> {
  const state = context.session.scheduling[input.project_id];
  const cached = context.session.projects?.[input.project_id];
  const current = cached ? appointmentOf(cached, state) : undefined;
  // After a successful cancel the appointment is gone; a retry is recognised by what was cancelled.
  const target = current?.hasAppointment
    ? appointmentKey(current, state)
    : (state?.cancellation?.appointmentKey ?? 'unknown');
  return runWrite(
    context,
    {
      operation: 'cancel_appointment',
      projectId: input.project_id,
      parameters: {},
      target: `appointment:${target}`,
      confirmationOf: (body) => body.cancellation_id,
    },
    () => perform(input, context),
  );
}

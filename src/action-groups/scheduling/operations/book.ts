/**
 * confirm_appointment and reschedule_appointment: both book an offered slot with E4 (PF360's
 * rescheduler flow moves a scheduled project the same way). Rescheduling never cancels first,
 * so if the booking fails the original appointment stands. Runs once per PF360 request: a retry
 * of the same booking gets the first answer.
 */
import { defineWrite, type OperationResult } from '../../../bedrock/routes.js';
import { AppError } from '../../../domain/errors.js';
import { appointmentOf, isClosed } from '../../../domain/projects.js';
import type { CachedProject, SessionPatch } from '../../../domain/session.js';
import { notPast, pf360Timestamp } from '../../../domain/time.js';
import { type ActionContext, customerZone } from '../../shared/context.js';
import { requireOwnedProject } from '../../shared/projects.js';
import type { BookingRequest, BookingResult } from '../types.js';
import { requireOfferedSlot } from './offers.js';

type Kind = 'confirm' | 'reschedule';

/** What must hold for the booking: the project open, scheduled or not as the kind needs, the slot offered and not past. */
function check(kind: Kind, input: BookingRequest, context: ActionContext, project: CachedProject) {
  const { project_id: projectId, date, time } = input;
  if (isClosed(project)) {
    throw new AppError('project_closed', `Project ${projectId} is ${project.status}; it cannot be scheduled.`);
  }
  const state = context.session.scheduling[projectId];
  const current = appointmentOf(project, state);
  if (kind === 'confirm' && current.hasAppointment) {
    throw new AppError(
      'already_scheduled',
      `Project ${projectId} already has an appointment${current.date ? ` on ${current.date}${current.time ? ` at ${current.time}` : ''}` : ''}. Use reschedule_appointment to move it.`,
    );
  }
  if (kind === 'reschedule' && !current.hasAppointment) {
    throw new AppError(
      'not_scheduled',
      `Project ${projectId} has no appointment to move. Use confirm_appointment to book one.`,
    );
  }
  requireOfferedSlot(state, projectId, date, time);
  // Offered earlier in a conversation that has since passed midnight or the slot's start.
  if (notPast(context.now, customerZone(context)).slots(date, [time]).length === 0) {
    throw new AppError(
      'slot_not_offered',
      `${date} at ${time} has already passed. Call get_available_dates again and offer one of the new dates.`,
    );
  }
  return { state, current };
}

/** The checks and the booking; runs once per PF360 request (see book()). */
async function perform(
  kind: Kind,
  input: BookingRequest,
  context: ActionContext,
  project: CachedProject,
  patch: SessionPatch,
): Promise<OperationResult<BookingResult>> {
  const { project_id: projectId, date, time } = input;
  const { state, current } = check(kind, input, context, project);
  const slot = {
    project_id: projectId,
    scheduled_date: date,
    scheduled_time: time,
    ...(kind === 'reschedule' ? { previous_date: current.date, previous_time: current.time } : {}),
  };
  if (!context.config.enableRealConfirm) {
    return {
      body: {
        ...slot,
        confirmation_number: null,
        test_mode: true,
        message: `Test mode: real booking is switched off, so nothing was sent to the scheduling system. The appointment would be ${kind === 'confirm' ? 'booked for' : 'moved to'} ${date} at ${time}.`,
      },
      sessionPatch: patch,
    };
  }

  const response = await context.pf360.schedule(context.who, projectId, {
    created_at: pf360Timestamp(context.now, context.config.pf360TimeZone),
    date,
    time,
    request_id: state.requestId,
    is_chatbot: 'true',
  });
  const confirmationNumber = response.data?.confirmation_number ?? null;
  const booking = { date, time, confirmationNumber, bookedAt: context.now.toISOString(), requestId: state.requestId };
  return {
    body: {
      ...slot,
      confirmation_number: confirmationNumber,
      test_mode: false,
      message: `${kind === 'confirm' ? 'Tentatively scheduled' : 'Tentatively moved'} to ${date} at ${time}; the office reviews every booking, and the technician calls when on the way.`,
    },
    // The request is used up: only the booking itself is remembered.
    sessionPatch: { ...patch, scheduling: { [projectId]: { booking } } },
    changedUpstream: true,
  };
}

function book(kind: Kind) {
  return defineWrite<BookingRequest, BookingResult, ActionContext>({
    describe: (input) => ({ projectId: input.project_id, parameters: { date: input.date, time: input.time } }),
    prepare: async (input, context) => {
      const { project, patch } = await requireOwnedProject(context, input.project_id);
      // A booking uses up its PF360 request: a retry after success finds it on the booking.
      const state = context.session.scheduling[input.project_id];
      return {
        target: `request:${state?.requestId ?? state?.booking?.requestId ?? 'none'}`,
        check: () => void check(kind, input, context, project),
        perform: () => perform(kind, input, context, project, patch),
      };
    },
    confirmationOf: (body) => body.confirmation_number,
  });
}

export const confirmAppointment = book('confirm');
export const rescheduleAppointment = book('reschedule');

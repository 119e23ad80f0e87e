/**
 * The offered-slot guard: a booking may only use a date and time that get_time_slots returned
 * for that project in this session, under the request_id get_available_dates opened.
 */
import { AppError } from '../../../domain/errors.js';
import type { ProjectScheduling } from '../../../domain/session.js';

function listed(values: readonly string[], max = 8): string {
  const shown = values.slice(0, max).join(', ');
  return values.length > max ? `${shown}, …` : shown;
}

export function requireOpenRequest(
  state: ProjectScheduling | undefined,
  projectId: string,
): asserts state is ProjectScheduling & { requestId: string; offeredDates: string[] } {
  if (!state?.requestId || !state.offeredDates) {
    throw new AppError(
      'dates_not_fetched',
      `No dates have been offered for project ${projectId} in this conversation yet. Call get_available_dates for it first, then get_time_slots.`,
    );
  }
}

export function requireOfferedDate(
  state: ProjectScheduling & { offeredDates: string[] },
  projectId: string,
  date: string,
): void {
  if (!state.offeredDates.includes(date)) {
    throw new AppError(
      'date_not_offered',
      state.offeredDates.length
        ? `${date} is not one of the dates offered for project ${projectId} (${listed(state.offeredDates)}). Offer one of those dates, or call get_available_dates again.`
        : `No dates are open for project ${projectId}; call get_available_dates again later.`,
    );
  }
}

export function requireOfferedSlot(
  state: ProjectScheduling | undefined,
  projectId: string,
  date: string,
  time: string,
): asserts state is ProjectScheduling & { requestId: string; offeredDates: string[] } {
  requireOpenRequest(state, projectId);
  requireOfferedDate(state, projectId, date);
  const slots = state.offeredSlots?.[date];
  if (!slots) {
    throw new AppError(
      'slots_not_fetched',
      `No time slots for ${date} have been offered for project ${projectId} yet. Call get_time_slots with that date first and offer one of its slots.`,
    );
  }
  if (!slots.includes(time)) {
    throw new AppError(
      'slot_not_offered',
      slots.length
        ? `${time} on ${date} was not offered for project ${projectId}. The open slots that day are ${listed(slots)}; use one of them exactly as written.`
        : `No slots are open on ${date} for project ${projectId}; offer another date.`,
    );
  }
}

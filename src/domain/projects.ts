/**
 * PF360 dashboard rows → what the assistant works with. Customer personal data in the rows
 * (name, email, phone) is dropped here and never reaches the agent.
 */
import type { DashboardItem } from '../ports/pf360.js';
import type { CachedProject, ProjectScheduling } from './session.js';
import { splitPf360DateTime } from './time.js';
import { isWeatherSensitive } from './weather-sensitivity.js';

export function projectIdOf(item: DashboardItem): string {
  return String(item.project_project_id);
}

/** The assigned technician's name as the dashboard row gives it (staff, not the customer). */
export function technicianOf(item: DashboardItem): string | null {
  return [item.user_idata_first_name, item.user_idata_last_name].filter(Boolean).join(' ') || null;
}

export function serviceTimeOf(item: DashboardItem): string | null {
  return item.service_time_duration_value
    ? `${item.service_time_duration_value} ${item.service_time_duration_type ?? ''}`.trim()
    : null;
}

export function toCachedProject(item: DashboardItem): CachedProject {
  const start = splitPf360DateTime(item.convertedProjectStartScheduledDate);
  return {
    category: item.project_category_category,
    projectType: item.project_type_project_type ?? null,
    status: item.status_info_status,
    orderNumber: item.project_project_number ?? null,
    scheduledDate: start?.date ?? item.project_date_scheduled_date ?? null,
    scheduledTime: start?.time ?? null,
    city: item.installation_address_city ?? null,
    state: item.installation_address_state ?? null,
    zipcode: item.installation_address_zipcode ?? null,
  };
}

export function projectCache(items: DashboardItem[]): Record<string, CachedProject> {
  return Object.fromEntries(items.map((item) => [projectIdOf(item), toCachedProject(item)]));
}

export function locationOf(project: Pick<CachedProject, 'city' | 'state'>): string | null {
  return [project.city, project.state].filter(Boolean).join(', ') || null;
}

export interface Appointment {
  hasAppointment: boolean;
  date: string | null;
  time: string | null;
  status: string;
  confirmationNumber: string | null;
  /** `conversation` when this session's own booking or cancellation is newer than PF360's view. */
  source: 'pf360' | 'conversation';
}

/**
 * The appointment as the customer should hear it: PF360's dashboard, unless this session booked
 * or cancelled since and the dashboard does not show it yet (it can lag behind a booking).
 */
export function appointmentOf(project: CachedProject, scheduling: ProjectScheduling | undefined): Appointment {
  const scheduled = /^scheduled$/i.test(project.status.trim());
  const fromPf360: Appointment = {
    hasAppointment: scheduled,
    date: scheduled ? project.scheduledDate : null,
    time: scheduled ? project.scheduledTime : null,
    status: project.status,
    confirmationNumber: null,
    source: 'pf360',
  };
  const booking = scheduling?.booking;
  if (booking) {
    const shown = scheduled && project.scheduledDate === booking.date && project.scheduledTime === booking.time;
    return {
      ...(shown ? fromPf360 : { hasAppointment: true, date: booking.date, time: booking.time, status: 'Scheduled' }),
      confirmationNumber: booking.confirmationNumber,
      source: shown ? 'pf360' : 'conversation',
    };
  }
  // The dashboard may still show the appointment this session cancelled; a different one is newer.
  if (
    scheduling?.cancellation &&
    scheduled &&
    scheduling.cancellation.appointmentKey.startsWith(`${slotKey(project.scheduledDate, project.scheduledTime)}|`)
  ) {
    return {
      hasAppointment: false,
      date: null,
      time: null,
      status: 'Cancelled',
      confirmationNumber: null,
      source: 'conversation',
    };
  }
  return fromPf360;
}

/** Date and time as one key part; PF360 may give a date without a time. */
function slotKey(date: string | null, time: string | null): string {
  return `${date ?? ''}|${time ?? ''}`;
}

/** Identifies one appointment, so a retried cancel of it is recognised as the same write. */
export function appointmentKey(appointment: Appointment, scheduling: ProjectScheduling | undefined): string {
  return `${slotKey(appointment.date, appointment.time)}|${scheduling?.booking?.bookedAt ?? 'pf360'}`;
}

/** Completed (or closed) work cannot be booked again. */
export function isClosed(project: CachedProject): boolean {
  return /complete|closed/i.test(project.status);
}

export function summarize(projectId: string, project: CachedProject, scheduling: ProjectScheduling | undefined) {
  const appointment = appointmentOf(project, scheduling);
  return {
    project_id: projectId,
    order_number: project.orderNumber,
    project_type: project.projectType,
    category: project.category,
    status: appointment.status,
    scheduled_date: appointment.date,
    scheduled_time: appointment.time,
    location: locationOf(project),
    weather_sensitive: isWeatherSensitive(project.category),
  };
}

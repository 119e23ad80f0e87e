/** Pass 1 of `npm run load`: each step is one HTTP call to the local gateway, as the portal's agent would cause. */

import { demoCustomer } from '../local/env.js';
import { conversation, type Sample, type Step } from './conversation.js';

const routes: Record<Exclude<Step, 'create_session'>, { path: string; values: Record<string, string> }> = {
  list_projects: { path: '/actions/scheduling/list-projects', values: {} },
  get_available_dates: {
    path: '/actions/scheduling/get-available-dates',
    values: { project_id: conversation.projectId },
  },
  get_time_slots: {
    path: '/actions/scheduling/get-time-slots',
    values: { project_id: conversation.projectId, date: conversation.date },
  },
  confirm_appointment: {
    path: '/actions/scheduling/confirm-appointment',
    values: { project_id: conversation.projectId, date: conversation.date, time: conversation.time },
  },
  get_appointment_status: {
    path: '/actions/information/get-appointment-status',
    values: { project_id: conversation.projectId },
  },
  add_note: {
    path: '/actions/notes/add-note',
    values: { project_id: conversation.projectId, note_text: conversation.note },
  },
};

export function gatewayStep(base: string) {
  return async (step: Step, state: Record<string, string>): Promise<Sample> => {
    const started = performance.now();
    try {
      const route =
        step === 'create_session'
          ? {
              path: '/dev/sessions',
              values: {
                customer_id: demoCustomer.customerId,
                client_id: demoCustomer.clientId,
                client_name: demoCustomer.clientName,
                auth_token: 'load-test-token',
              },
            }
          : routes[step];
      const response = await fetch(`${base}${route.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-session-id': state.sessionId ?? '' },
        body: JSON.stringify(route.values),
      });
      const body = (await response.json()) as Record<string, unknown>;
      const ms = performance.now() - started;
      if (step === 'create_session') state.sessionId = String(body.session_id);
      const timing = /handler;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '');
      return {
        step,
        ms,
        ...(timing ? { handlerMs: Number(timing[1]) } : {}),
        ok: response.ok,
        status: response.status,
      };
    } catch {
      return { step, ms: performance.now() - started, ok: false, status: 0 };
    }
  };
}

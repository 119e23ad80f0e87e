import type { OperationResult } from '../../../bedrock/routes.js';
import { portalLink } from '../../../domain/portal.js';
import { appointmentOf, serviceTimeOf, technicianOf } from '../../../domain/projects.js';
import { splitPf360DateTime } from '../../../domain/time.js';
import { isWeatherSensitive } from '../../../domain/weather-sensitivity.js';
import type { ActionContext } from '../../shared/context.js';
import { readProjectFresh } from '../../shared/projects.js';
import type { ProjectDetails } from '../types.js';

function stamp(value: string | null | undefined): string | null {
  const split = splitPf360DateTime(value);
  return split ? `${split.date} ${split.time}` : null;
}

/** E1, one project. The customer's own name, email and phone are left out: the agent does not need them. */
export async function getProjectDetails(
  input: { project_id: string },
  context: ActionContext,
): Promise<OperationResult<ProjectDetails>> {
  const projectId = input.project_id;
  const { item, project, patch } = await readProjectFresh(context, projectId);
  const appointment = appointmentOf(project, context.session.scheduling[projectId]);
  const fromConversation = appointment.source === 'conversation';
  return {
    body: {
      project: {
        project_id: projectId,
        order_number: item.project_project_number ?? null,
        project_type: item.project_type_project_type ?? null,
        category: item.project_category_category,
        status: appointment.status,
        store: item.project_store_store_number ?? null,
        weather_sensitive: isWeatherSensitive(item.project_category_category),
        address: {
          full_address: item.installation_address_full_address ?? null,
          city: item.installation_address_city ?? null,
          state: item.installation_address_state ?? null,
          zipcode: item.installation_address_zipcode ?? null,
        },
        dates: {
          sold: item.project_date_sold ?? null,
          scheduled: fromConversation ? appointment.date : (item.project_date_scheduled_date ?? null),
          scheduled_start: fromConversation
            ? appointment.date && `${appointment.date} ${appointment.time}`
            : stamp(item.convertedProjectStartScheduledDate),
          scheduled_end: fromConversation ? null : stamp(item.convertedProjectEndScheduledDate),
          completed: item.project_date_completed_date ?? null,
        },
        technician: technicianOf(item),
        service_time: serviceTimeOf(item),
        portal_link: portalLink(context.session.stage, context.session.clientName, projectId),
      },
    },
    sessionPatch: patch,
  };
}

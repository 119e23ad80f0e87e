/**
 * PF360's dashboard rows are mostly optional strings: a row with only the required columns is
 * answered with explicit nulls, never with undefined fields or a crash.
 */
import { describe, expect, it } from 'vitest';
import { getAppointmentStatus } from '../../../../../src/action-groups/information/operations/get-appointment-status.js';
import { getProjectDetails } from '../../../../../src/action-groups/information/operations/get-project-details.js';
import type { DashboardItem } from '../../../../../src/ports/pf360.js';
import { operationContext } from '../../../../helpers/operation-context.js';

const bare: DashboardItem = {
  project_project_id: 777,
  project_category_category: 'Gutters',
  status_info_status: 'Pending',
};

describe('a dashboard row with only the required columns', () => {
  it('gives project details with nulls for everything PF360 left out', async () => {
    // Prepare
    const context = operationContext({ pf360: { getDashboard: async () => [bare] } });

    // Act
    const { body } = await getProjectDetails({ project_id: '777' }, context);

    // Assess
    expect(body.project).toMatchObject({
      project_id: '777',
      order_number: null,
      project_type: null,
      category: 'Gutters',
      status: 'Pending',
      store: null,
      weather_sensitive: true,
      address: { full_address: null, city: null, state: null, zipcode: null },
      dates: { sold: null, scheduled: null, scheduled_start: null, scheduled_end: null, completed: null },
      technician: null,
      service_time: null,
    });
  });

  it('gives a status with no appointment and says how to get one', async () => {
    // Prepare
    const context = operationContext({ pf360: { getDashboard: async () => [bare] } });

    // Act
    const { body } = await getAppointmentStatus({ project_id: '777' }, context);

    // Assess
    expect(body).toMatchObject({
      has_appointment: false,
      scheduled_date: null,
      scheduled_end_time: null,
      technician: null,
      duration: null,
      can_reschedule: false,
      source: 'pf360',
    });
    expect(body.message).toMatch(/^There is no appointment yet/);
  });

  it("shows this conversation's booking while the dashboard lags behind it", async () => {
    // Prepare
    const booking = {
      date: '2026-12-02',
      time: '10:00 AM',
      confirmationNumber: 'C-1',
      bookedAt: '2026-11-29T15:00:00Z',
      requestId: 'R',
    };
    const context = operationContext({
      pf360: { getDashboard: async () => [bare] },
      session: { scheduling: { '777': { booking } } },
    });

    // Act
    const details = await getProjectDetails({ project_id: '777' }, context);
    const status = await getAppointmentStatus({ project_id: '777' }, context);

    // Assess
    expect(details.body.project.dates).toMatchObject({
      scheduled: '2026-12-02',
      scheduled_start: '2026-12-02 10:00 AM',
      scheduled_end: null,
    });
    expect(status.body).toMatchObject({ has_appointment: true, source: 'conversation', confirmation_number: 'C-1' });
    expect(status.body.message).toMatch(/office dashboard may take a while/);
  });
});

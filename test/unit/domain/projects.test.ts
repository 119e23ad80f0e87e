import { describe, expect, it } from 'vitest';
import {
  appointmentKey,
  appointmentOf,
  isClosed,
  locationOf,
  projectCache,
  projectIdOf,
  summarize,
  toCachedProject,
} from '../../../src/domain/projects.js';
import type {
  CachedProject,
  ProjectScheduling,
  SessionBooking,
  SessionCancellation,
} from '../../../src/domain/session.js';
import type { DashboardItem } from '../../../src/ports/pf360.js';

const dashboardRow: DashboardItem = {
  project_project_id: '12345',
  project_project_number: 'ORD-2026-001',
  project_type_project_type: 'Installation',
  project_category_category: 'Flooring',
  status_info_status: 'Scheduled',
  project_store_store_number: 'ST-101',
  installation_address_full_address: '123 Main St, Tampa, FL 33602',
  installation_address_address1: '123 Main St',
  installation_address_address2: '',
  installation_address_city: 'Tampa',
  installation_address_state: 'FL',
  installation_address_zipcode: '33602',
  project_date_sold: '2026-10-20',
  project_date_scheduled_date: '2026-12-03',
  convertedProjectStartScheduledDate: '2026-12-03 08:00:00',
  convertedProjectEndScheduledDate: '2026-12-03 12:00:00',
  project_date_completed_date: null,
  user_idata_user_id: '1001',
  user_idata_first_name: 'John',
  user_idata_last_name: 'Smith',
  service_time_duration_value: '4',
  service_time_duration_type: 'hours',
  customer_customer_id: '1645975',
  customer_first_name: 'Maria',
  customer_last_name: 'Gonzalez',
  customer_email: 'maria.gonzalez@example.com',
  customer_phone: '+1-813-555-0147',
};

const scheduled: CachedProject = {
  category: 'Flooring',
  projectType: 'Installation',
  status: 'Scheduled',
  orderNumber: 'ORD-2026-001',
  scheduledDate: '2026-12-03',
  scheduledTime: '08:00 AM',
  city: 'Tampa',
  state: 'FL',
  zipcode: '33602',
};

const pending: CachedProject = { ...scheduled, status: 'Pending', scheduledDate: null, scheduledTime: null };

const booking: SessionBooking = {
  date: '2026-12-10',
  time: '01:30 PM',
  confirmationNumber: 'CNF-1',
  bookedAt: '2026-11-25T14:00:00Z',
  requestId: 'req-1',
};

const cancellation: SessionCancellation = {
  cancelledAt: '2026-11-25T14:05:00Z',
  appointmentKey: '2026-12-03|08:00 AM|pf360',
};

describe('toCachedProject', () => {
  it('keeps the scheduling facts and the coarse location of a dashboard row', () => {
    // Act
    const project = toCachedProject(dashboardRow);

    // Assess
    expect(project).toStrictEqual(scheduled);
  });

  it('falls back to the plain scheduled date when there is no converted start time', () => {
    // Prepare
    const row: DashboardItem = { ...dashboardRow, convertedProjectStartScheduledDate: null };

    // Act
    const project = toCachedProject(row);

    // Assess
    expect(project.scheduledDate).toBe('2026-12-03');
    expect(project.scheduledTime).toBeNull();
  });

  it('fills missing optional fields with null', () => {
    // Prepare
    const row: DashboardItem = {
      project_project_id: 7,
      project_category_category: 'Roofing',
      status_info_status: 'Pending',
    };

    // Act
    const project = toCachedProject(row);

    // Assess
    expect(project).toStrictEqual({
      category: 'Roofing',
      projectType: null,
      status: 'Pending',
      orderNumber: null,
      scheduledDate: null,
      scheduledTime: null,
      city: null,
      state: null,
      zipcode: null,
    });
  });
});

describe('projectIdOf and projectCache', () => {
  it('turns a numeric project id into a string', () => {
    // Act
    const id = projectIdOf({ ...dashboardRow, project_project_id: 12345 });

    // Assess
    expect(id).toBe('12345');
  });

  it('keys the cache by project id', () => {
    // Act
    const cache = projectCache([
      dashboardRow,
      { ...dashboardRow, project_project_id: 12347, status_info_status: 'Pending' },
    ]);

    // Assess
    expect(Object.keys(cache)).toStrictEqual(['12345', '12347']);
    expect(cache['12347']?.status).toBe('Pending');
  });

  it('keeps no customer name, email or phone anywhere in the cache', () => {
    // Act
    const text = JSON.stringify(projectCache([dashboardRow]));

    // Assess
    for (const secret of ['Maria', 'Gonzalez', 'maria.gonzalez@example.com', '555-0147', '123 Main St', 'John']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('locationOf', () => {
  it.each([
    [{ city: 'Tampa', state: 'FL' }, 'Tampa, FL'],
    [{ city: 'Tampa', state: null }, 'Tampa'],
    [{ city: null, state: 'FL' }, 'FL'],
    [{ city: '', state: '' }, null],
    [{ city: null, state: null }, null],
  ])('turns %j into %j', (project, expected) => {
    // Act
    const location = locationOf(project);

    // Assess
    expect(location).toBe(expected);
  });
});

describe('appointmentOf', () => {
  it('reports a scheduled dashboard appointment from PF360', () => {
    // Act
    const appointment = appointmentOf(scheduled, undefined);

    // Assess
    expect(appointment).toStrictEqual({
      hasAppointment: true,
      date: '2026-12-03',
      time: '08:00 AM',
      status: 'Scheduled',
      confirmationNumber: null,
      source: 'pf360',
    });
  });

  it.each(['scheduled', ' SCHEDULED ', 'Scheduled'])('treats the status %j as scheduled', (status) => {
    // Act
    const appointment = appointmentOf({ ...scheduled, status }, undefined);

    // Assess
    expect(appointment.hasAppointment).toBe(true);
  });

  it.each(['Pending', 'Completed', 'Rescheduled?', 'Not Scheduled'])(
    'reports no appointment and hides the dates for the status %j',
    (status) => {
      // Act
      const appointment = appointmentOf({ ...scheduled, status }, undefined);

      // Assess
      expect(appointment).toStrictEqual({
        hasAppointment: false,
        date: null,
        time: null,
        status,
        confirmationNumber: null,
        source: 'pf360',
      });
    },
  );

  it('lets this session’s booking override the dashboard', () => {
    // Act
    const appointment = appointmentOf(pending, { requestId: 'r', booking });

    // Assess
    expect(appointment).toStrictEqual({
      hasAppointment: true,
      date: '2026-12-10',
      time: '01:30 PM',
      status: 'Scheduled',
      confirmationNumber: 'CNF-1',
      source: 'conversation',
    });
  });

  it('lets this session’s booking override an older dashboard appointment', () => {
    // Act
    const appointment = appointmentOf(scheduled, { booking });

    // Assess
    expect(appointment.date).toBe('2026-12-10');
    expect(appointment.time).toBe('01:30 PM');
    expect(appointment.source).toBe('conversation');
  });

  it('reports the booking as PF360’s once the dashboard shows it, keeping the confirmation number', () => {
    // Prepare
    const caughtUp: CachedProject = { ...scheduled, scheduledDate: booking.date, scheduledTime: booking.time };

    // Act
    const appointment = appointmentOf(caughtUp, { booking });

    // Assess
    expect(appointment).toStrictEqual({
      hasAppointment: true,
      date: '2026-12-10',
      time: '01:30 PM',
      status: 'Scheduled',
      confirmationNumber: 'CNF-1',
      source: 'pf360',
    });
  });

  it('lets this session’s cancellation override a scheduled dashboard status', () => {
    // Act
    const appointment = appointmentOf(scheduled, { cancellation });

    // Assess
    expect(appointment).toStrictEqual({
      hasAppointment: false,
      date: null,
      time: null,
      status: 'Cancelled',
      confirmationNumber: null,
      source: 'conversation',
    });
  });

  it.each([
    ['with a time', scheduled],
    ['with a date but no time (PF360 gave no start time)', { ...scheduled, scheduledTime: null }],
  ])('recognises the appointment it cancelled, %s, by the key the cancel stored', (_case, project) => {
    // Prepare: the key cancel_appointment stores for the appointment it cancels.
    const key = appointmentKey(appointmentOf(project, undefined), undefined);

    // Act
    const appointment = appointmentOf(project, {
      cancellation: { cancelledAt: '2026-11-25T14:05:00Z', appointmentKey: key },
    });

    // Assess
    expect(appointment).toMatchObject({ hasAppointment: false, status: 'Cancelled', source: 'conversation' });
  });

  it('uses the dashboard once it no longer shows the cancelled appointment as scheduled', () => {
    // Prepare
    const caughtUp: CachedProject = { ...scheduled, status: 'Cancelled', scheduledDate: null, scheduledTime: null };

    // Act
    const appointment = appointmentOf(caughtUp, { cancellation });

    // Assess
    expect(appointment).toStrictEqual({
      hasAppointment: false,
      date: null,
      time: null,
      status: 'Cancelled',
      confirmationNumber: null,
      source: 'pf360',
    });
  });

  it('uses the dashboard when the session only holds offers', () => {
    // Prepare
    const state: ProjectScheduling = { requestId: 'r', offeredDates: ['2026-12-02'] };

    // Act
    const appointment = appointmentOf(scheduled, state);

    // Assess
    expect(appointment.source).toBe('pf360');
    expect(appointment.hasAppointment).toBe(true);
  });
});

describe('isClosed', () => {
  it.each([
    ['Completed', true],
    ['completed', true],
    ['Closed', true],
    ['Job Complete', true],
    ['Scheduled', false],
    ['Pending', false],
    ['Cancelled', false],
  ])('says a project in status %j is closed: %s', (status, expected) => {
    // Act
    const closed = isClosed({ ...scheduled, status });

    // Assess
    expect(closed).toBe(expected);
  });
});

describe('summarize', () => {
  it('gives the model the project facts it needs', () => {
    // Act
    const summary = summarize('12345', toCachedProject(dashboardRow), undefined);

    // Assess
    expect(summary).toStrictEqual({
      project_id: '12345',
      order_number: 'ORD-2026-001',
      project_type: 'Installation',
      category: 'Flooring',
      status: 'Scheduled',
      scheduled_date: '2026-12-03',
      scheduled_time: '08:00 AM',
      location: 'Tampa, FL',
      weather_sensitive: false,
    });
  });

  it('reflects the session’s own booking', () => {
    // Act
    const summary = summarize('12347', { ...pending, category: 'Roofing' }, { booking });

    // Assess
    expect(summary.status).toBe('Scheduled');
    expect(summary.scheduled_date).toBe('2026-12-10');
    expect(summary.scheduled_time).toBe('01:30 PM');
    expect(summary.weather_sensitive).toBe(true);
  });

  it('contains no customer name, email or phone keys or values', () => {
    // Act
    const summary = summarize('12345', toCachedProject(dashboardRow), undefined);

    // Assess
    const keys = Object.keys(summary);
    expect(keys.filter((k) => /name|email|phone|customer|address|user/i.test(k))).toStrictEqual([]);
    const text = JSON.stringify(summary);
    for (const secret of ['Maria', 'Gonzalez', 'example.com', '555-0147', '1645975', 'Smith']) {
      expect(text).not.toContain(secret);
    }
  });
});

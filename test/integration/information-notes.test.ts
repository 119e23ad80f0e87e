/**
 * The information and notes action groups, and weather-aware date offers, end to end: genuine
 * Bedrock events → handlers → PF360 and Open-Meteo (Prism, behind recording proxies) → DynamoDB Local.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pf360Examples } from '../../generated/catalog/pf360-examples.js';
import { createInformationHandler } from '../../src/action-groups/information/index.js';
import { createNotesHandler } from '../../src/action-groups/notes/index.js';
import { createSchedulingHandler } from '../../src/action-groups/scheduling/index.js';
import { createActionDeps } from '../../src/action-groups/shared/wiring.js';
import { DynamoDbAuditLog } from '../../src/adapters/dynamodb/audit-log.js';
import { createDocumentClient } from '../../src/adapters/dynamodb/client.js';
import { createLogger, sessionRef } from '../../src/observability/logger.js';
import type { AuditEntry } from '../../src/ports/audit-log.js';
import { actionEnv, callAction } from '../helpers/actions.js';
import { responseViolations } from '../helpers/contract.js';
import { createSession, demoCustomer, readSessionItem } from '../helpers/sessions.js';
import { pf360Paths, startUpstreamProxy, type UpstreamProxy } from '../helpers/upstream-proxy.js';

let pf360: UpstreamProxy;
let weather: UpstreamProxy;
beforeAll(async () => {
  pf360 = await startUpstreamProxy(process.env.PF360_BASE_URL ?? '');
  weather = await startUpstreamProxy(process.env.WEATHER_BASE_URL ?? '');
});
afterAll(async () => {
  await pf360.close();
  await weather.close();
});
beforeEach(() => {
  pf360.reset();
  weather.reset();
});

function env(overrides: Record<string, string> = {}) {
  return actionEnv({
    PF360_BASE_URL: pf360.url,
    WEATHER_BASE_URL: weather.url,
    GEOCODING_BASE_URL: weather.url,
    ENABLE_REAL_CONFIRM: 'true',
    ...overrides,
  });
}
const information = (overrides: Record<string, string> = {}) =>
  createInformationHandler(createActionDeps('test-information', env(overrides)));
const notes = (overrides: Record<string, string> = {}) =>
  createNotesHandler(createActionDeps('test-notes', env(overrides)));
const scheduling = (overrides: Record<string, string> = {}) =>
  createSchedulingHandler(createActionDeps('test-scheduling', env(overrides)));

describe('get_project_details', () => {
  it('answers type, category, status, address, dates, technician, duration and the portal link', async () => {
    const { sessionId } = await createSession({ stage: 'qa' });
    const result = await callAction(information(), 'information', 'get_project_details', sessionId, {
      project_id: '12350',
    });
    expect(result.status).toBe(200);
    expect(responseViolations('information', 'get_project_details', 200, result.body)).toEqual([]);
    expect(result.body.project).toMatchObject({
      project_id: '12350',
      order_number: 'ORD-2026-003',
      project_type: 'Installation',
      category: 'Roofing',
      status: 'Pending',
      weather_sensitive: true,
      address: { full_address: '4810 Bayshore Blvd, Clearwater, FL 33760', city: 'Clearwater', zipcode: '33760' },
      dates: { sold: '2026-11-10', scheduled: null },
      technician: 'Jane Doe',
      service_time: '2 days',
      portal_link: 'https://projectsforce-validation.cx-portal.qa.projectsforce.com/details/12350',
    });
  });

  it("leaves out the customer's own name, email and phone", async () => {
    const { sessionId } = await createSession();
    const result = await callAction(information(), 'information', 'get_project_details', sessionId, {
      project_id: '12345',
    });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body.project).toMatchObject({ project_id: '12345' });
    // The customer's own details as PF360's example row for this project carries them.
    const rows = Object.values(pf360Examples.getDashboard['200']).flatMap(
      (example) => example.data as readonly Record<string, unknown>[],
    );
    const row = rows.find((r) => String(r.project_project_id) === '12345');
    const personal = ['customer_first_name', 'customer_last_name', 'customer_email', 'customer_phone'].map((key) =>
      String(row?.[key] ?? ''),
    );
    expect(personal.filter((value) => value.length === 0)).toEqual([]);
    const text = JSON.stringify(result.body);
    for (const value of personal) expect(text).not.toContain(value);
  });

  it('links to the prod portal as "apps"', async () => {
    const { sessionId } = await createSession({ stage: 'prod' });
    const result = await callAction(information(), 'information', 'get_project_details', sessionId, {
      project_id: '12345',
    });
    expect((result.body.project as { portal_link: string }).portal_link).toBe(
      'https://projectsforce-validation.cx-portal.apps.projectsforce.com/details/12345',
    );
  });
});

describe('get_appointment_status', () => {
  it('reads the scheduled window and technician from the dashboard', async () => {
    const { sessionId } = await createSession();
    const result = await callAction(information(), 'information', 'get_appointment_status', sessionId, {
      project_id: '12345',
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      status: 'Scheduled',
      has_appointment: true,
      scheduled_date: '2026-12-03',
      scheduled_time: '08:00 AM',
      scheduled_end_time: '12:00 PM',
      technician: 'John Smith',
      duration: '4 hours',
      can_reschedule: true,
      can_cancel: true,
      source: 'pf360',
    });
  });

  it('shows the booking made in this session while the dashboard still says Pending', async () => {
    const { sessionId } = await createSession();
    const s = scheduling();
    await callAction(s, 'scheduling', 'get_available_dates', sessionId, { project_id: '12347' });
    await callAction(s, 'scheduling', 'get_time_slots', sessionId, { project_id: '12347', date: '2026-12-02' });
    const booked = await callAction(s, 'scheduling', 'confirm_appointment', sessionId, {
      project_id: '12347',
      date: '2026-12-02',
      time: '10:00 AM',
    });
    expect(booked.status).toBe(200);
    const status = await callAction(information(), 'information', 'get_appointment_status', sessionId, {
      project_id: '12347',
    });
    expect(status.body).toMatchObject({
      status: 'Scheduled',
      has_appointment: true,
      scheduled_date: '2026-12-02',
      scheduled_time: '10:00 AM',
      confirmation_number: 'CONF-1764088930',
      can_reschedule: true,
      source: 'conversation',
    });
  });

  it('says a completed project can no longer be changed', async () => {
    const { sessionId } = await createSession();
    const result = await callAction(information(), 'information', 'get_appointment_status', sessionId, {
      project_id: '12352',
    });
    expect(result.body).toMatchObject({
      status: 'Completed',
      has_appointment: false,
      can_reschedule: false,
      can_cancel: false,
    });
  });
});

describe('get_working_hours', () => {
  it('answers the hours with their time zone and a summary', async () => {
    const { sessionId } = await createSession();
    const result = await callAction(information(), 'information', 'get_working_hours', sessionId);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      timezone: 'America/New_York',
      summary: 'Monday–Friday 08:00–17:00; Saturday 09:00–13:00; Sunday closed (America/New_York)',
    });
  });
});

describe('get_weather', () => {
  it("forecasts a project's job site from its postcode, with rain and wind", async () => {
    const { sessionId } = await createSession();
    const result = await callAction(information(), 'information', 'get_weather', sessionId, {
      project_id: '12350',
      days: '10',
    });
    expect(result.status).toBe(200);
    expect(responseViolations('information', 'get_weather', 200, result.body)).toEqual([]);
    const days = result.body.days as { date: string; risk: string; precipitation_probability: number }[];
    expect(days).toHaveLength(10);
    expect(days.find((d) => d.date === '2026-12-01')).toMatchObject({ risk: 'high', precipitation_probability: 90 });
    expect(result.body.advice).toMatch(/Roofing work is weather-sensitive; 2026-12-01/);
    const [search] = weather.matching('GET', /\/v1\/search$/);
    expect(search?.query.get('name')).toBe('33760');
    const [forecast] = weather.matching('GET', /\/v1\/forecast$/);
    expect(forecast?.query.get('daily')).toBe(
      'weather_code,temperature_2m_max,temperature_2m_min,precipitation_sum,precipitation_probability_max,wind_speed_10m_max',
    );
    expect(forecast?.query.get('forecast_days')).toBe('10');
  });

  it('forecasts a named place', async () => {
    const { sessionId } = await createSession();
    const result = await callAction(information(), 'information', 'get_weather', sessionId, { location: 'Tampa' });
    expect(result.status).toBe(200);
    expect(result.body.location).toEqual({ name: 'Tampa', region: 'Florida', country: 'United States' });
    expect((result.body.days as unknown[]).length).toBe(7);
  });

  it('answers 404 when the place cannot be found, and 400 when neither project nor place is given', async () => {
    const { sessionId } = await createSession();
    weather.inject({ path: /\/v1\/search$/, fault: { kind: 'prefer', prefer: 'example=nothing_found' } });
    const nowhere = await callAction(information(), 'information', 'get_weather', sessionId, {
      location: 'Xyzzyville',
    });
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.error_type).toBe('location_not_found');
    const neither = await callAction(information(), 'information', 'get_weather', sessionId, {});
    expect(neither.status).toBe(400);
    expect(neither.body.error).toMatch(/project_id .* location/);
  });

  it.each([
    ['500', { kind: 'prefer', prefer: 'code=500' }, 502],
    ['timeout', { kind: 'delay', ms: 1500 }, 504],
  ] as const)('reports a weather %s clearly', async (_name, fault, status) => {
    const { sessionId } = await createSession();
    weather.inject({ path: /\/v1\/forecast$/, fault });
    const result = await callAction(information(), 'information', 'get_weather', sessionId, { location: 'Tampa' });
    expect(result.status).toBe(status);
    expect(String(result.body.error)).toMatch(/weather service/);
  });
});

/**
 * "The weather client follows the same timeout/retry policy as the PF360 client": a forecast GET
 * is retried on timeout, 5xx and 429 up to WEATHER_MAX_RETRIES, and never on another 4xx. The
 * recording proxy counts the forecast requests that actually reached the upstream.
 */
describe("the weather client's timeout and retry policy", () => {
  const forecastPath = /\/v1\/forecast$/;
  const policy = { WEATHER_TIMEOUT_MS: '400', WEATHER_MAX_RETRIES: '2', WEATHER_RETRY_BASE_MS: '5' };
  const failures = [
    ['a 500', 3, { kind: 'respond', status: 500, body: { error: true, reason: 'Internal error' } }, 502],
    ['a 503', 3, { kind: 'respond', status: 503, body: { error: true, reason: 'Unavailable' } }, 502],
    ['a 429', 3, { kind: 'respond', status: 429, body: { error: true, reason: 'Rate limited' } }, 502],
    ['a timeout', 3, { kind: 'delay', ms: 1500 }, 504],
    ['a 400', 1, { kind: 'respond', status: 400, body: { error: true, reason: 'Bad latitude' } }, 502],
    ['a 404', 1, { kind: 'respond', status: 404, body: { error: true, reason: 'Not found' } }, 502],
  ] as const;

  it.each(failures)(
    'get_weather: on %s the forecast is requested %i time(s), then the failure is reported',
    async (_name, attempts, fault, status) => {
      const { sessionId } = await createSession();
      weather.inject({ path: forecastPath, fault });
      const result = await callAction(information(policy), 'information', 'get_weather', sessionId, {
        location: 'Tampa',
      });
      expect(result.status).toBe(status);
      expect(String(result.body.error)).toMatch(/weather service/);
      expect(weather.matching('GET', forecastPath)).toHaveLength(attempts);
      expect(weather.matching('GET', /\/v1\/search$/)).toHaveLength(1);
    },
  );

  it.each(failures)(
    'get_available_dates: on %s the forecast is requested %i time(s), and the dates are still offered with a note',
    async (_name, attempts, fault) => {
      const { sessionId } = await createSession();
      weather.inject({ path: forecastPath, fault });
      const result = await callAction(scheduling(policy), 'scheduling', 'get_available_dates', sessionId, {
        project_id: '12350',
      });
      expect(result.status).toBe(200);
      expect((result.body.dates as object[]).length).toBe(10);
      expect(result.body.weather_sensitive).toBe(true);
      expect(result.body.weather_note).toMatch(/forecast is unavailable/);
      expect(weather.matching('GET', forecastPath)).toHaveLength(attempts);
      // PF360 was asked once for the offer, whatever the weather did.
      expect(pf360.matching('GET', pf360Paths.slots)).toHaveLength(1);
    },
  );

  it('uses its own WEATHER_MAX_RETRIES, not the PF360 setting', async () => {
    const { sessionId } = await createSession();
    const fault = { kind: 'respond', status: 500, body: { error: true, reason: 'Internal error' } } as const;
    weather.inject({ path: forecastPath, fault });
    const once = await callAction(
      information({ API_MAX_RETRIES: '2', WEATHER_MAX_RETRIES: '1' }),
      'information',
      'get_weather',
      sessionId,
      { location: 'Tampa' },
    );
    expect(once.status).toBe(502);
    expect(weather.matching('GET', forecastPath)).toHaveLength(2);

    weather.reset();
    weather.inject({ path: forecastPath, fault });
    const never = await callAction(
      information({ API_MAX_RETRIES: '2', WEATHER_MAX_RETRIES: '0' }),
      'information',
      'get_weather',
      sessionId,
      { location: 'Tampa' },
    );
    expect(never.status).toBe(502);
    expect(weather.matching('GET', forecastPath)).toHaveLength(1);
  });

  it('inherits the PF360 retry count when WEATHER_MAX_RETRIES is not set, and succeeds after a transient 500', async () => {
    const { sessionId } = await createSession();
    weather.inject({
      path: forecastPath,
      fault: { kind: 'respond', status: 500, body: { error: true, reason: 'Internal error' } },
      times: 2,
    });
    const inherited = createInformationHandler(
      createActionDeps('test-information', { ...env({ API_MAX_RETRIES: '2' }), WEATHER_MAX_RETRIES: undefined }),
    );
    const result = await callAction(inherited, 'information', 'get_weather', sessionId, { location: 'Tampa' });
    expect(result.status).toBe(200);
    expect((result.body.days as unknown[]).length).toBe(7);
    expect(weather.matching('GET', forecastPath)).toHaveLength(3);
  });
});

describe('projects the customer does not own, or PF360 no longer knows', () => {
  it.each([
    ['information', 'get_project_details', {}],
    ['information', 'get_appointment_status', {}],
    ['information', 'get_weather', {}],
    ['notes', 'add_note', { note_text: 'hello' }],
    ['notes', 'list_notes', {}],
  ] as const)("%s %s refuses another customer's project with 403 and no PF360 call", async (group, op, extra) => {
    const { sessionId } = await createSession();
    await callAction(information(), 'information', 'get_working_hours', sessionId);
    const s = scheduling();
    await callAction(s, 'scheduling', 'list_projects', sessionId);
    pf360.reset();
    const handler = group === 'information' ? information() : notes();
    const result = await callAction(handler, group, op, sessionId, { project_id: '99999', ...extra });
    expect(result.status).toBe(403);
    expect(result.body.error_type).toBe('forbidden');
    expect(pf360.requests).toEqual([]);
    expect(weather.requests).toEqual([]);
  });

  it.each([
    ['information', 'get_project_details', '99999', {}],
    ['information', 'get_appointment_status', '99999', {}],
    ['information', 'get_appointment_status', 'constructor', {}],
    ['notes', 'list_notes', '__proto__', {}],
    ['notes', 'add_note', 'toString', { note_text: 'hello' }],
  ] as const)(
    '%s %s refuses %s with 403 when no project list is cached yet, after one dashboard read',
    async (group, op, projectId, extra) => {
      const { sessionId } = await createSession();
      pf360.reset();
      const handler = group === 'information' ? information() : notes();
      const result = await callAction(handler, group, op, sessionId, { project_id: projectId, ...extra });
      expect(result.status, JSON.stringify(result.body)).toBe(403);
      expect(result.body.error_type).toBe('forbidden');
      expect(pf360.requests.map((r) => r.path)).toEqual(['/dashboard/get/09PF05VD/1645975']);
    },
  );

  it('answers 404 for a known project that PF360 no longer lists', async () => {
    const { sessionId } = await createSession();
    await callAction(scheduling(), 'scheduling', 'list_projects', sessionId);
    pf360.inject({ path: pf360Paths.dashboard, fault: { kind: 'prefer', prefer: 'example=no_projects' } });
    const result = await callAction(information(), 'information', 'get_project_details', sessionId, {
      project_id: '12347',
    });
    expect(result.status).toBe(404);
    expect(result.body.error_type).toBe('project_not_found');
  });

  it("answers 404 when PF360 does not know a project's notes", async () => {
    const { sessionId } = await createSession();
    pf360.inject({ path: pf360Paths.listNotes, fault: { kind: 'prefer', prefer: 'code=404' } });
    const result = await callAction(notes(), 'notes', 'list_notes', sessionId, { project_id: '12347' });
    expect(result.status).toBe(404);
    expect(result.body.error_type).toBe('not_found');
  });
});

describe('weather-aware date offers', () => {
  it('annotates each date of a weather-sensitive project with a risk level and forecast', async () => {
    const { sessionId } = await createSession();
    const result = await callAction(scheduling(), 'scheduling', 'get_available_dates', sessionId, {
      project_id: '12350',
    });
    expect(result.status).toBe(200);
    expect(responseViolations('scheduling', 'get_available_dates', 200, result.body)).toEqual([]);
    expect(result.body.weather_sensitive).toBe(true);
    const dates = result.body.dates as { date: string; weather_risk?: string; weather?: string }[];
    expect(dates.find((d) => d.date === '2026-12-01')).toMatchObject({ weather_risk: 'high' });
    expect(dates.find((d) => d.date === '2026-12-01')?.weather).toMatch(/90% chance of rain, 14\.6 mm/);
    expect(dates.find((d) => d.date === '2026-12-03')).toMatchObject({ weather_risk: 'high' }); // wind 27.5 mph
    expect(dates.find((d) => d.date === '2026-12-04')).toMatchObject({ weather_risk: 'low' });
    expect(dates.find((d) => d.date === '2026-12-11')).toMatchObject({ weather_risk: 'unknown' }); // beyond the forecast
    expect(result.body.weather_note).toMatch(/weather-sensitive.*2026-12-01/);
  });

  it('offers plain dates for indoor work without asking the weather service', async () => {
    const { sessionId } = await createSession();
    const result = await callAction(scheduling(), 'scheduling', 'get_available_dates', sessionId, {
      project_id: '12347',
    });
    expect(result.body.weather_sensitive).toBe(false);
    expect((result.body.dates as object[]).every((d) => !('weather_risk' in d))).toBe(true);
    expect(result.body.weather_note).toBeUndefined();
    expect(weather.requests).toEqual([]);
  });

  it.each([
    ['down (500)', { kind: 'prefer', prefer: 'code=500' }],
    ['slow', { kind: 'delay', ms: 1500 }],
    ['resetting connections', { kind: 'reset' }],
  ] as const)('still offers the dates, with a note, when the weather service is %s', async (_name, fault) => {
    const { sessionId } = await createSession();
    weather.inject({ fault });
    const result = await callAction(scheduling(), 'scheduling', 'get_available_dates', sessionId, {
      project_id: '12350',
    });
    expect(result.status).toBe(200);
    expect((result.body.dates as object[]).length).toBe(10);
    expect(result.body.weather_note).toMatch(/forecast is unavailable/);
    // The request id is stored, so the flow goes on.
    const item = await readSessionItem(sessionId);
    const stored = (item?.scheduling ?? {}) as Record<string, { requestId?: string }>;
    expect(stored['12350']?.requestId).toBe('REQ-12347-1764061200');
  });

  it('never consults the weather when booking', async () => {
    const { sessionId } = await createSession();
    const s = scheduling();
    weather.inject({ fault: { kind: 'prefer', prefer: 'code=500' } });
    await callAction(s, 'scheduling', 'get_available_dates', sessionId, { project_id: '12350' });
    await callAction(s, 'scheduling', 'get_time_slots', sessionId, { project_id: '12350', date: '2026-12-01' });
    weather.reset();
    const booked = await callAction(s, 'scheduling', 'confirm_appointment', sessionId, {
      project_id: '12350',
      date: '2026-12-01',
      time: '09:00 AM',
    });
    expect(booked.status).toBe(200);
    expect(weather.requests).toEqual([]);
  });
});

describe('add_note', () => {
  it('stores the note once when the same note is sent twice, and audits both attempts', async () => {
    const { sessionId } = await createSession();
    const h = notes();
    const values = { project_id: '12347', note_text: 'Gate code is 4417.' };
    const first = await callAction(h, 'notes', 'add_note', sessionId, values);
    const second = await callAction(h, 'notes', 'add_note', sessionId, values);
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(first.body).toMatchObject({ note_id: 'note-8f14e45f', note_text: 'Gate code is 4417.' });
    expect(pf360.matching('POST', pf360Paths.addNote)).toHaveLength(1);
    expect(JSON.parse(pf360.matching('POST', pf360Paths.addNote)[0]?.body ?? '{}')).toEqual({
      note_text: 'Gate code is 4417.',
    });

    const differentNote = await callAction(h, 'notes', 'add_note', sessionId, {
      ...values,
      note_text: 'Dog in the yard.',
    });
    expect(differentNote.status).toBe(200);
    expect(pf360.matching('POST', pf360Paths.addNote)).toHaveLength(2);

    const audit = new DynamoDbAuditLog(
      createDocumentClient(),
      process.env.AUDIT_TABLE ?? '',
      730,
      createLogger('test'),
    );
    const entries = await audit.listForProject(demoCustomer.clientId, '12347');
    // Only this conversation's entries: the audit table is shared by every test file of the run.
    const mine = entries.filter((e) => e.sessionRef === sessionRef(sessionId));
    expect(mine.map((e) => e.at)).toEqual(mine.map((e) => e.at).sort()); // listed oldest first
    const of = (e: AuditEntry) => ({
      operation: e.operation,
      customerId: e.customerId,
      clientId: e.clientId,
      projectId: e.projectId,
      outcome: e.outcome,
      confirmationId: e.confirmationId,
      parameters: e.parameters,
    });
    const who = { operation: 'add_note', customerId: demoCustomer.customerId, clientId: demoCustomer.clientId };
    // The same note twice: stored once, replayed once; both carry PF360's note id (its add-note example).
    expect(mine.filter((e) => e.parameters.note_text === 'Gate code is 4417.').map(of)).toEqual([
      {
        ...who,
        projectId: '12347',
        outcome: 'succeeded',
        confirmationId: 'note-8f14e45f',
        parameters: { note_text: 'Gate code is 4417.' },
      },
      {
        ...who,
        projectId: '12347',
        outcome: 'replayed',
        confirmationId: 'note-8f14e45f',
        parameters: { note_text: 'Gate code is 4417.' },
      },
    ]);
    // And nothing else in this conversation but the different note.
    expect(mine.map((e) => [e.outcome, e.parameters.note_text])).toEqual([
      ['succeeded', 'Gate code is 4417.'],
      ['replayed', 'Gate code is 4417.'],
      ['succeeded', 'Dog in the yard.'],
    ]);
    expect(mine.filter((e) => JSON.stringify(e).includes(sessionId))).toEqual([]);
    expect(entries.filter((e) => JSON.stringify(e).includes(demoCustomer.authToken))).toEqual([]);
  });

  it.each([
    ['empty', '', /must not be empty/],
    ['blank', '   \n  ', /must not be blank/],
    ['over 1000 characters', 'x'.repeat(1001), /at most 1000 characters/],
    ['with control characters', 'open\u0007the\u0000gate', /not in the expected format/],
  ])('refuses a note that is %s with a 400 naming note_text, and writes nothing', async (_what, noteText, message) => {
    const { sessionId } = await createSession();
    const result = await callAction(notes(), 'notes', 'add_note', sessionId, {
      project_id: '12347',
      note_text: noteText,
    });
    expect(result.status).toBe(400);
    expect(result.body.error_type).toBe('validation_error');
    expect(String(result.body.error)).toMatch(/^note_text /);
    expect(String(result.body.error)).toMatch(message);
    expect(pf360.requests).toEqual([]);
  });

  it('passes on a note PF360 rejects, with advice that fits a note (not a booking)', async () => {
    const { sessionId } = await createSession();
    pf360.inject({
      method: 'POST',
      path: pf360Paths.addNote,
      fault: { kind: 'respond', status: 422, body: { status: 'error', message: 'note rejected' } },
    });
    const result = await callAction(notes(), 'notes', 'add_note', sessionId, {
      project_id: '12347',
      note_text: 'Please call before arriving.',
    });
    expect(result.status).toBe(502);
    expect(result.body.error_type).toBe('upstream_rejected');
    expect(String(result.body.error)).toMatch(/rejected the request \(note rejected\); nothing was changed/);
    expect(String(result.body.error)).not.toMatch(/get_available_dates|get_time_slots/);
    expect(pf360.matching('POST', pf360Paths.addNote)).toHaveLength(1);
  });

  it('says the outcome is unknown when PF360 answers a note with a body it cannot read', async () => {
    const { sessionId } = await createSession();
    pf360.inject({ method: 'POST', path: pf360Paths.addNote, fault: { kind: 'respond', status: 200, rawBody: 'OK' } });
    const result = await callAction(notes(), 'notes', 'add_note', sessionId, {
      project_id: '12347',
      note_text: 'Please call before arriving.',
    });
    expect(result.status).toBe(502);
    expect(String(result.body.error)).toMatch(/may or may not have been made/);
    expect(String(result.body.error)).not.toMatch(/nothing was changed/);
  });

  it('keeps line breaks and tabs in a note', async () => {
    const { sessionId } = await createSession();
    const result = await callAction(notes(), 'notes', 'add_note', sessionId, {
      project_id: '12350',
      note_text: 'Ladder access:\n\tback yard only',
    });
    expect(result.status).toBe(200);
    expect(JSON.parse(pf360.matching('POST', pf360Paths.addNote)[0]?.body ?? '{}').note_text).toBe(
      'Ladder access:\n\tback yard only',
    );
  });
});

describe('list_notes', () => {
  it('lists the notes newest first', async () => {
    const { sessionId } = await createSession();
    const result = await callAction(notes(), 'notes', 'list_notes', sessionId, { project_id: '12347' });
    expect(result.status).toBe(200);
    const listed = result.body.notes as { note_id: string; created_at: string }[];
    expect(listed.map((n) => n.note_id)).toEqual(['note-003', 'note-002', 'note-001']);
    expect(result.body).toMatchObject({ total: 3, truncated: false });
  });

  it('cuts the list past the body cap with an explicit marker', async () => {
    const { sessionId } = await createSession();
    const result = await callAction(notes({ MAX_RESPONSE_BYTES: '400' }), 'notes', 'list_notes', sessionId, {
      project_id: '12347',
    });
    expect(result.status).toBe(200);
    expect(Buffer.byteLength(result.envelope.response.responseBody['application/json'].body)).toBeLessThanOrEqual(400);
    expect(result.body).toMatchObject({ total: 3, truncated: true });
    expect((result.body.notes as { note_id: string }[])[0]?.note_id).toBe('note-003');
  });
});

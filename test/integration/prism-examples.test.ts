/**
 * Prism, started by the global setup from our specs, answers every PF360 and weather call of
 * every flow with the spec's default example, over a real connection.
 */
import createClient from 'openapi-fetch';
import { describe, expect, inject, it } from 'vitest';
import { pf360Examples } from '../../generated/catalog/pf360-examples.js';
import type { paths as Pf360Paths } from '../../generated/types/pf360.js';
import type { paths as WeatherPaths } from '../../generated/types/weather.js';
import { deref, readSpec } from '../../scripts/lib/specs.js';

const stack = inject('stack');
const headers = { authorization: 'test-token', client_id: '09PF05VD', charset: 'utf-8' };
const pf360 = createClient<Pf360Paths>({ baseUrl: stack.env.PF360_BASE_URL, headers });
const client = { client_id: '09PF05VD' };

function defaultExample(operationId: keyof typeof pf360Examples, status = '200'): unknown {
  const byName = pf360Examples[operationId][status as keyof (typeof pf360Examples)[typeof operationId]];
  return Object.values(byName as Record<string, unknown>)[0];
}

describe('Prism serves the PF360 examples for each flow', () => {
  it('booking: dashboard, open dates, slots, schedule', async () => {
    const dashboard = await pf360.GET('/dashboard/get/{client_id}/{customer_id}', {
      params: { path: { ...client, customer_id: '1645975' }, header: headers },
    });
    expect(dashboard.response.status).toBe(200);
    expect(dashboard.data).toEqual(defaultExample('getDashboard'));

    const path =
      '/scheduler/client/{client_id}/project/{project_id}/date/{date}/selected/{selected_date}/get-rescheduler-slots';
    const dates = await pf360.GET(path, {
      params: {
        path: { ...client, project_id: '12347', date: '2026-11-25', selected_date: '2026-11-25' },
        header: headers,
      },
    });
    expect(dates.data).toEqual(defaultExample('getReschedulerSlots'));
    const requestId = dates.data?.data.request_id ?? '';

    const slots = await pf360.GET(path, {
      params: {
        path: { ...client, project_id: '12347', date: '2026-12-02', selected_date: '2026-12-02' },
        query: { request_id: requestId },
        header: headers,
      },
    });
    expect(slots.data?.data.slots).toContain('10:00 AM');

    const booked = await pf360.POST('/scheduler/client/{client_id}/project/{project_id}/schedule', {
      params: { path: { ...client, project_id: '12347' }, header: headers },
      body: {
        created_at: '11-25-2026 19:42:10',
        date: '2026-12-02',
        time: '10:00 AM',
        request_id: requestId,
        is_chatbot: 'true',
      },
    });
    expect(booked.response.status).toBe(200);
    expect(booked.data).toEqual(defaultExample('scheduleProject'));
  });

  it('cancel and business hours', async () => {
    const cancelled = await pf360.GET('/scheduler/client/{client_id}/project/{project_id}/cancel-reschedule', {
      params: { path: { ...client, project_id: '12345' }, header: headers },
    });
    expect(cancelled.data).toEqual(defaultExample('cancelSchedule'));
    const hours = await pf360.GET('/scheduler/client/{client_id}/business-hours', {
      params: { path: client, header: headers },
    });
    expect(hours.data).toEqual(defaultExample('getBusinessHours'));
  });

  it('notes: add and list', async () => {
    const added = await pf360.POST('/project-notes/add/{client_id}/{project_id}', {
      params: { path: { ...client, project_id: '12347' }, header: headers },
      body: { note_text: 'Please use the side gate.' },
    });
    expect(added.data).toEqual(defaultExample('addProjectNote'));
    const listed = await pf360.GET('/project-notes/list/{client_id}', {
      params: { path: client, query: { project_id: '12347' }, header: headers },
    });
    expect(listed.data).toEqual(defaultExample('listProjectNotes'));
  });

  it('answers with the documented error example when asked for it', async () => {
    const failed = await pf360.GET('/scheduler/client/{client_id}/business-hours', {
      params: { path: client, header: { ...headers, Prefer: 'code=503' } as typeof headers },
    });
    expect(failed.response.status).toBe(503);
    expect(failed.error).toEqual(defaultExample('getBusinessHours', '503'));
  });

  it('refuses a call without the PF360 token, as the real API does', async () => {
    const response = await fetch(`${stack.env.PF360_BASE_URL}/scheduler/client/09PF05VD/business-hours`, {
      headers: { client_id: '09PF05VD' },
    });
    expect(response.status).toBe(401);
  });
});

describe('Prism serves the weather examples', () => {
  const weather = createClient<WeatherPaths>({ baseUrl: stack.env.WEATHER_BASE_URL });
  const doc = readSpec('weather');
  const example = (path: string) =>
    Object.values<{ value: unknown }>(
      deref(doc, doc.paths[path].get.responses['200']).content['application/json'].examples,
    )[0]?.value;

  it('geocodes a postcode and forecasts the coordinate, including a rainy day', async () => {
    const found = await weather.GET('/v1/search', {
      params: { query: { name: '33602', count: 1, countryCode: 'US' } },
    });
    expect(found.data).toEqual(example('/v1/search'));
    const place = found.data?.results?.[0];
    const forecast = await weather.GET('/v1/forecast', {
      params: {
        query: {
          latitude: place?.latitude ?? 0,
          longitude: place?.longitude ?? 0,
          daily: ['weather_code', 'precipitation_sum', 'precipitation_probability_max', 'wind_speed_10m_max'],
          forecast_days: 16,
        },
      },
      querySerializer: { array: { style: 'form', explode: false } },
    });
    expect(forecast.data).toEqual(example('/v1/forecast'));
    expect(Math.max(...(forecast.data?.daily.precipitation_probability_max ?? []).map(Number))).toBeGreaterThan(60);
  });
});

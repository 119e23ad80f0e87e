/**
 * The read-only actions, as a customer's conversation uses them. Safe on every stage: nothing
 * here writes to PF360. Runs in `npm test` on the local stack and, through
 * `npm run test:stage`, against a deployed stage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, readTarget, stageSessions } from './target.js';

const target = readTarget();
const sessions = stageSessions();

describe(`read-only actions on ${target.label}`, () => {
  let sessionId = '';
  let projectIds: string[] = [];

  beforeAll(async () => {
    sessionId = await sessions.create();
  });
  afterAll(async () => {
    if (sessionId) await sessions.remove(sessionId);
  });

  it('list_projects answers the customer’s projects in the spec’s shape', async () => {
    const answer = await call(target, 'scheduling', 'list_projects', sessionId);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.violations).toEqual([]);
    const projects = answer.body.projects as Array<{ project_id: string }>;
    expect(projects.length, 'the customer has no projects to check the other actions with').toBeGreaterThan(0);
    projectIds = projects.map((p) => p.project_id);
  });

  it('business and working hours', async () => {
    for (const [group, operation] of [
      ['scheduling', 'get_business_hours'],
      ['information', 'get_working_hours'],
    ] as const) {
      const answer = await call(target, group, operation, sessionId);
      expect(answer.status, `${operation}: ${JSON.stringify(answer.body)}`).toBe(200);
      expect(answer.violations, operation).toEqual([]);
    }
  });

  it('details, appointment status, weather and notes of every listed project', async () => {
    expect(projectIds.length).toBeGreaterThan(0);
    for (const project_id of projectIds) {
      for (const [group, operation] of [
        ['information', 'get_project_details'],
        ['information', 'get_appointment_status'],
        ['information', 'get_weather'],
        ['notes', 'list_notes'],
      ] as const) {
        const answer = await call(target, group, operation, sessionId, { project_id });
        expect(answer.status, `${operation}(${project_id}): ${JSON.stringify(answer.body)}`).toBe(200);
        expect(answer.violations, `${operation}(${project_id})`).toEqual([]);
      }
    }
  });

  it('available dates for every listed project that is still open', async () => {
    const listed = await call(target, 'scheduling', 'list_projects', sessionId);
    const open = (listed.body.projects as Array<{ project_id: string; status: string }>).filter(
      (p) => !/completed|cancel/i.test(p.status),
    );
    expect(open.length, 'the customer has no open project').toBeGreaterThan(0);
    for (const { project_id } of open) {
      const answer = await call(target, 'scheduling', 'get_available_dates', sessionId, { project_id });
      expect(answer.status, `get_available_dates(${project_id}): ${JSON.stringify(answer.body)}`).toBe(200);
      expect(answer.violations).toEqual([]);
    }
  });

  it('refuses a project that is not the customer’s with 403', async () => {
    const answer = await call(target, 'information', 'get_project_details', sessionId, {
      project_id: 'not-this-customers-project',
    });
    expect(answer).toMatchObject({ status: 403, body: { error_type: 'forbidden' }, violations: [] });
  });

  it('refuses a session that does not exist with 401', async () => {
    const answer = await call(target, 'scheduling', 'list_projects', `${sessionId}-unknown`);
    expect(answer.status).toBe(401);
    expect(answer.violations).toEqual([]);
  });
});

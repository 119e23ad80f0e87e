/** The local gateway: sessions for local use, and Bedrock events built from plain JSON bodies. */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatRoutes, localChatEnv } from '../../scripts/local/chat.js';
import { createGateway } from '../../scripts/local/gateway.js';
import { createChatHandler } from '../../src/chat/wiring.js';
import { actionEnv, factories } from '../helpers/actions.js';
import { token } from '../helpers/chat.js';
import { sensitive } from '../helpers/sensitive.js';
import { readSessionItem, sessionStore } from '../helpers/sessions.js';

let base = '';
const server = createGateway({
  actions: Object.fromEntries(Object.entries(factories).map(([group, create]) => [group, create(actionEnv())])),
  sessions: sessionStore(),
  stage: 'test',
  // No agent configured here, as on a developer machine without AWS access.
  routes: chatRoutes(createChatHandler(localChatEnv({ ...process.env, AGENT_ID: '', AGENT_ALIAS_ID: '' }))),
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const identity = {
  customer_id: '1645975',
  client_id: '09PF05VD',
  client_name: 'projectsforce-validation',
  auth_token: sensitive.gatewayToken,
};

describe('POST /dev/sessions', () => {
  it('creates a session and answers its id', async () => {
    const created = await post('/dev/sessions', identity);
    expect(created.status).toBe(201);
    expect(created.body.session_id).toMatch(/^[0-9a-zA-Z._:-]{2,100}$/);
  });

  it.each(['customer_id', 'client_id', 'client_name', 'auth_token'])(
    'answers 400 naming a missing %s',
    async (field) => {
      const created = await post('/dev/sessions', { ...identity, [field]: undefined });
      expect(created.status).toBe(400);
      expect(created.body.field).toBe(field);
    },
  );

  it('accepts the PF360 token as the portal gives it, Bearer prefix included, and stores it unchanged', async () => {
    // Act
    const created = await post('/dev/sessions', { ...identity, auth_token: `Bearer ${sensitive.gatewayToken}` });

    // Assess
    expect(created.status).toBe(201);
    expect((await readSessionItem(String(created.body.session_id)))?.auth_token).toBe(
      `Bearer ${sensitive.gatewayToken}`,
    );
  });

  it.each([
    ['a line break', `Bearer\r\n${sensitive.gatewayToken}`],
    ['a tab', `Bearer\t${sensitive.gatewayToken}`],
    ['a leading space', ` ${sensitive.gatewayToken}`],
    ['4097 characters', 'x'.repeat(4097)],
  ])('refuses a PF360 token with %s, naming the rule', async (_label, authToken) => {
    // Act
    const created = await post('/dev/sessions', { ...identity, auth_token: authToken });

    // Assess
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ error_type: 'validation_error', field: 'auth_token' });
    expect(String(created.body.error)).toContain('1 to 4096 printable characters');
  });

  it('answers 400 for a body that is not a JSON object', async () => {
    expect((await post('/dev/sessions', '[1,2]')).status).toBe(400);
    expect((await post('/dev/sessions', '{not json')).status).toBe(400);
  });
});

describe('POST /actions/<group><apiPath>', () => {
  it('runs the conversation with the envelope status and body', async () => {
    const { body } = await post('/dev/sessions', identity);
    const session = { 'x-session-id': String(body.session_id) };
    const dates = await post('/actions/scheduling/get-available-dates', { project_id: '12347' }, session);
    expect(dates.status).toBe(200);
    expect(dates.body.project_id).toBe('12347');
    const slots = await post(
      '/actions/scheduling/get-time-slots',
      { project_id: '12347', date: '2026-12-02' },
      session,
    );
    expect(slots.body.slots).toContain('10:00 AM');
    const booked = await post(
      '/actions/scheduling/confirm-appointment',
      { project_id: '12347', date: '2026-12-02', time: '10:00 AM' },
      session,
    );
    expect(booked.status).toBe(200);
    expect(booked.body.test_mode).toBe(true);
  });

  it('serves the information and notes groups too', async () => {
    const { body } = await post('/dev/sessions', identity);
    const session = { 'x-session-id': String(body.session_id) };
    const hours = await post('/actions/information/get-working-hours', {}, session);
    expect(hours.status).toBe(200);
    expect(hours.body.timezone).toBe('America/New_York');
    const weather = await post('/actions/information/get-weather', { project_id: '12350', days: 3 }, session);
    expect(weather.status).toBe(200);
    expect((weather.body.days as unknown[]).length).toBe(3);
    const listed = await post('/actions/notes/list-notes', { project_id: '12347' }, session);
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(3);
  });

  it('passes the handler status through: 401 without a session, 400 for bad input, 404 for an unknown action', async () => {
    expect((await post('/actions/scheduling/list-projects', {})).status).toBe(401);
    const { body } = await post('/dev/sessions', identity);
    const session = { 'x-session-id': String(body.session_id) };
    const bad = await post('/actions/scheduling/get-time-slots', { project_id: '12347', date: 'tomorrow' }, session);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^date /);
    const unknown = await post('/actions/scheduling/teleport', {}, session);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error_type).toBe('unknown_operation');
    expect((await post('/actions/nowhere/list-projects', {}, session)).status).toBe(404);
  });
});

describe('POST /chat on the local gateway', () => {
  it('answers 503 with one sentence naming the settings when no agent is configured', async () => {
    const reply = await post('/chat', { message: 'hello' }, { authorization: `Bearer ${await token()}` });
    expect(reply.status).toBe(503);
    expect(reply.body.error_type).toBe('agent_not_configured');
    expect(String(reply.body.error)).toMatch(
      /^No assistant is configured: set AGENT_PROVIDER=openai with OPENAI_BASE_URL and AGENT_MODEL_ID .*AGENT_PROVIDER=bedrock .*AGENT_ID and AGENT_ALIAS_ID/,
    );
    expect(String(reply.body.error).split('. ')).toHaveLength(1);
    const confirm = await post(
      '/chat/confirm',
      { session_id: 's-x', confirmation_id: 'c-x', decision: 'deny' },
      { authorization: `Bearer ${await token()}` },
    );
    expect(confirm.status).toBe(503);
    // An anonymous caller learns nothing, not even that no assistant is configured.
    const anonymous = await post('/chat', { message: 'hello' });
    expect([anonymous.status, anonymous.body.error_type]).toEqual([401, 'unauthorized']);
  });
});

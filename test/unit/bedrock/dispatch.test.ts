import { describe, expect, it } from 'vitest';
import { createInformationHandler } from '../../../src/action-groups/information/index.js';
import { createNotesHandler } from '../../../src/action-groups/notes/index.js';
import { createSchedulingHandler } from '../../../src/action-groups/scheduling/index.js';
import type { ActionContext, ActionDeps } from '../../../src/action-groups/shared/context.js';
import { ExamplePf360Client } from '../../../src/adapters/pf360/example-client.js';
import { ExampleWeatherClient } from '../../../src/adapters/weather/example-client.js';
import { type ActionGroupDefinition, createActionHandler } from '../../../src/bedrock/dispatch.js';
import { defineWrite } from '../../../src/bedrock/routes.js';
import { loadActionConfig } from '../../../src/config/env.js';
import { AppError } from '../../../src/domain/errors.js';
import { createLogger } from '../../../src/observability/logger.js';
import { InMemorySessionStore } from '../../fakes/in-memory-session-store.js';
import { InMemoryAuditLog, InMemoryWriteGuard } from '../../fakes/in-memory-writes.js';

const catalog = [
  { operationId: 'ping', method: 'GET', apiPath: '/ping', requiresConfirmation: false, parameters: [] },
] as const;
const validators = { ping: () => true };

const calendar = { clock: () => new Date(), timeZone: 'America/New_York' };

function deps(sessions = new InMemorySessionStore()): ActionDeps {
  return {
    config: loadActionConfig({}),
    sessions,
    pf360: new ExamplePf360Client(calendar),
    weather: new ExampleWeatherClient(calendar),
    clock: () => new Date(),
    logger: createLogger('dispatch-test'),
  };
}

const event = (sessionId: string) => ({
  messageVersion: '1.0',
  agent: { name: 'a', id: 'A', alias: 'TSTALIASID', version: 'DRAFT' },
  inputText: '',
  sessionId,
  actionGroup: 'test',
  apiPath: '/ping',
  httpMethod: 'GET',
  parameters: [],
  sessionAttributes: { customer_id: 'x' },
  promptSessionAttributes: {},
});

type Route = NonNullable<ActionGroupDefinition['routes']['GET /ping']>;

/** The test group with one operation, GET /ping, answered by `route`. */
function pingHandler(route: Route, sessions: InMemorySessionStore) {
  return createActionHandler({ group: 'test', catalog, validators, routes: { 'GET /ping': route } }, deps(sessions));
}

async function sessionIn(sessions: InMemorySessionStore): Promise<string> {
  const newSession = { customerId: 'c', clientId: 'k', clientName: 'n', authToken: 't', stage: 'test' };
  return (await sessions.create({ sessionId: 's-dispatch', ...newSession }, new Date())).sessionId;
}

async function answer(handler: ReturnType<typeof pingHandler>, sessionId: string) {
  const envelope = await handler(event(sessionId));
  return {
    status: envelope.response.httpStatusCode,
    body: JSON.parse(envelope.response.responseBody['application/json'].body),
    sessionAttributes: envelope.sessionAttributes,
  };
}

describe('createActionHandler', () => {
  it('refuses to start when a declared operation has no route or no validator', () => {
    const noRoute: ActionGroupDefinition = { group: 'test', catalog, validators, routes: {} };
    expect(() => createActionHandler(noRoute, deps())).toThrow('test: no route or validator for GET /ping');
    const noValidator: ActionGroupDefinition = {
      group: 'test',
      catalog,
      validators: {},
      routes: { 'GET /ping': async () => ({ body: {} }) },
    };
    expect(() => createActionHandler(noValidator, deps())).toThrow('test: no route or validator for GET /ping');
  });

  describe('writes are declared where the spec marks them', () => {
    const writeCatalog = [
      { ...catalog[0], method: 'POST', apiPath: '/note', operationId: 'note', requiresConfirmation: true },
    ];
    const writeValidators = { note: () => true };
    const note = defineWrite<Record<string, never>, { ok: true }, ActionContext>({
      describe: () => ({ projectId: 'p', parameters: {} }),
      prepare: async () => ({ target: 't', perform: async () => ({ body: { ok: true } }) }),
      confirmationOf: () => null,
    });
    const writeStack = { writes: new InMemoryWriteGuard(), audit: new InMemoryAuditLog() };

    it('refuses to start when a write its spec marks x-requireConfirmation is a plain operation', () => {
      // Prepare
      const definition = {
        group: 'test',
        catalog: writeCatalog,
        validators: writeValidators,
        routes: { 'POST /note': async () => ({ body: {} }) },
      };

      // Act
      const start = () => createActionHandler(definition, { ...deps(), ...writeStack });

      // Assess
      expect(start).toThrow('test: note is marked x-requireConfirmation in its spec but is not declared as a write');
    });

    it('refuses to start when an operation its spec does not mark is declared as a write', () => {
      // Prepare
      const definition = { group: 'test', catalog, validators, routes: { 'GET /ping': note } };

      // Act
      const start = () => createActionHandler(definition, { ...deps(), ...writeStack });

      // Assess
      expect(start).toThrow('test: ping is not marked x-requireConfirmation in its spec but is declared as a write');
    });

    it('refuses to start a group that writes without the write stack', () => {
      // Prepare
      const definition = {
        group: 'test',
        catalog: writeCatalog,
        validators: writeValidators,
        routes: { 'POST /note': note },
      };

      // Act
      const start = () => createActionHandler(definition, deps());

      // Assess
      expect(start).toThrow('test: note writes, but the group has no write stack');
    });

    it('runs a declared write through the write stack: recorded once, audited under the catalog operation id', async () => {
      // Prepare
      const sessions = new InMemorySessionStore();
      const sessionId = await sessionIn(sessions);
      const definition = {
        group: 'test',
        catalog: writeCatalog,
        validators: writeValidators,
        routes: { 'POST /note': note },
      };
      const handler = createActionHandler(definition, { ...deps(sessions), ...writeStack });

      // Act
      const envelope = await handler({ ...event(sessionId), httpMethod: 'POST', apiPath: '/note' });

      // Assess
      expect(envelope.response.httpStatusCode).toBe(200);
      expect(writeStack.writes.records.size).toBe(1);
      expect(writeStack.audit.entries.map((e) => [e.operation, e.outcome])).toEqual([['note', 'succeeded']]);
    });
  });

  it.each([
    [
      'scheduling',
      () => createSchedulingHandler({ ...deps(), writes: new InMemoryWriteGuard(), audit: new InMemoryAuditLog() }),
    ],
    ['information', () => createInformationHandler(deps())],
    ['notes', () => createNotesHandler({ ...deps(), writes: new InMemoryWriteGuard(), audit: new InMemoryAuditLog() })],
  ])('starts the %s group: its writes are exactly the operations its spec marks', (_group, start) => {
    expect(start).not.toThrow();
  });

  it('turns a bug in an operation into a 500 envelope, never a throw, and keeps the session as it was', async () => {
    const sessions = new InMemorySessionStore();
    const sessionId = await sessionIn(sessions);
    const handler = pingHandler(async () => {
      throw new TypeError('a bug');
    }, sessions);
    const writesBefore = sessions.writes;
    const result = await answer(handler, sessionId);
    expect(result.status).toBe(500);
    expect(result.body).toMatchObject({ error_type: 'internal_error' });
    expect(result.sessionAttributes).toEqual({ customer_id: 'x' });
    expect(sessions.writes).toBe(writesBefore);
  });

  it('answers 401 without reading the store for an id no session can have', async () => {
    const sessions = new InMemorySessionStore();
    const handler = pingHandler(async () => ({ body: { ok: true } }), sessions);
    const result = await answer(handler, 'x'.repeat(10_000));
    expect(result.status).toBe(401);
    expect(result.body).toMatchObject({ error_type: 'session_missing' });
    expect(sessions.reads).toBe(0);
  });

  describe('when the session write fails after the operation', () => {
    class FailingWrites extends InMemorySessionStore {
      override async update(): Promise<void> {
        throw new AppError(
          'storage_unavailable',
          'The session storage is temporarily unavailable; nothing was changed.',
        );
      }
    }

    async function run(changedUpstream: boolean) {
      const sessions = new FailingWrites();
      const handler = pingHandler(async () => ({ body: { booked: true }, changedUpstream }), sessions);
      const { status, body } = await answer(handler, await sessionIn(sessions));
      return { status, body };
    }

    it('still reports a PF360 change that happened (a failure would invite a second booking)', async () => {
      expect(await run(true)).toEqual({ status: 200, body: { booked: true } });
    });

    it('reports the storage fault when nothing upstream changed', async () => {
      expect(await run(false)).toMatchObject({ status: 500, body: { error_type: 'storage_unavailable' } });
    });
  });
});

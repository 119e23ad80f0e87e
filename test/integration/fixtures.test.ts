/**
 * The recorded Bedrock events in test/fixtures/events run through the real handlers (including
 * the console's TSTALIASID/DRAFT shape, empty `parameters` and no `requestBody`), and every
 * answer matches the response schema the spec declares. `npm run invoke` prints only the envelope.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionCatalog } from '../../generated/catalog/actions.js';
import { repoRoot } from '../../scripts/lib/specs.js';
import type { ActionGroupName } from '../../src/bedrock/build-event.js';
import type { BedrockActionEvent } from '../../src/bedrock/event.js';
import { actionEnv, callAction, factories } from '../helpers/actions.js';
import { responseViolations } from '../helpers/contract.js';
import { createSession } from '../helpers/sessions.js';
import { captureOutput } from '../setup/log-capture.js';

const fixtureDir = join(repoRoot, 'test/fixtures/events');

function fixture(group: string, name: string): BedrockActionEvent {
  return JSON.parse(readFileSync(join(fixtureDir, group, `${name}.json`), 'utf8'));
}

function operationOf(group: ActionGroupName, event: BedrockActionEvent) {
  return actionCatalog[group].find((op) => op.method === event.httpMethod && op.apiPath === event.apiPath);
}

describe.each(Object.keys(factories) as ActionGroupName[])('fixtures of the %s group', (group) => {
  const files = readdirSync(join(fixtureDir, group)).map((f) => f.replace(/\.json$/, ''));

  it('cover every operation of the spec', () => {
    const covered = files.map((name) => operationOf(group, fixture(group, name))?.operationId);
    expect(new Set(covered)).toEqual(new Set(actionCatalog[group].map((op) => op.operationId)));
  });

  it('include the test-console shape, empty parameters and a bodiless event', () => {
    const events = files.map((name) => fixture(group, name));
    expect(events).toContainEqual(
      expect.objectContaining({ agent: expect.objectContaining({ alias: 'TSTALIASID', version: 'DRAFT' }) }),
    );
    expect(events).toContainEqual(expect.objectContaining({ parameters: [] }));
    expect(events.filter((e) => e.requestBody === undefined)).not.toEqual([]);
  });
});

describe('scheduling fixtures through the handler', () => {
  it('answer with envelopes whose bodies match the spec, echoing the session attributes', async () => {
    const create = factories.scheduling;
    if (!create) throw new Error('no scheduling handler');
    const handler = create(actionEnv({ ENABLE_REAL_CONFIRM: 'true', ENABLE_REAL_CANCEL: 'true' }));
    const { sessionId } = await createSession();
    const run = async (name: string) => {
      const event = { ...fixture('scheduling', name), sessionId };
      const envelope = await handler(event);
      const body = JSON.parse(envelope.response.responseBody['application/json'].body);
      const op = operationOf('scheduling', event);
      expect(envelope.response.httpStatusCode, `${name}: ${JSON.stringify(body)}`).toBe(200);
      expect(responseViolations('scheduling', op?.operationId ?? '', 200, body)).toEqual([]);
      expect(envelope).toMatchObject({
        messageVersion: '1.0',
        response: { actionGroup: 'scheduling', apiPath: event.apiPath, httpMethod: event.httpMethod },
        sessionAttributes: event.sessionAttributes,
        promptSessionAttributes: event.promptSessionAttributes,
      });
    };
    for (const name of [
      'list-projects',
      'get-available-dates',
      'get-time-slots',
      'confirm-appointment',
      'get-business-hours',
    ]) {
      await run(name);
    }
    await callAction(handler, 'scheduling', 'get_available_dates', sessionId, { project_id: '12345' });
    await callAction(handler, 'scheduling', 'get_time_slots', sessionId, { project_id: '12345', date: '2026-12-08' });
    await run('reschedule-appointment');
    await run('cancel-appointment');
  });
});

describe.each(['information', 'notes'] as const)('%s fixtures through the handler', (group) => {
  it('answer 200 with bodies that match the spec, echoing the session attributes', async () => {
    const handler = factories[group](actionEnv());
    const { sessionId } = await createSession();
    // add-note before list-notes; the rest in any order.
    for (const name of readdirSync(join(fixtureDir, group))
      .map((f) => f.replace(/\.json$/, ''))
      .sort()) {
      const event = { ...fixture(group, name), sessionId };
      const envelope = await handler(event);
      const body = JSON.parse(envelope.response.responseBody['application/json'].body);
      expect(envelope.response.httpStatusCode, `${name}: ${JSON.stringify(body)}`).toBe(200);
      expect(responseViolations(group, operationOf(group, event)?.operationId ?? '', 200, body)).toEqual([]);
      expect(envelope.sessionAttributes).toEqual(event.sessionAttributes);
      expect(envelope.promptSessionAttributes).toEqual(event.promptSessionAttributes);
    }
  });
});

/**
 * `npm run invoke` in a child process. Its stderr carries the handler's log lines, which the
 * worker's own capture never sees: hand them to the log capture so test/log-audit scans them too.
 */
function invoke(args: string[]) {
  const result = spawnSync('npm', ['run', 'invoke', '--', ...args], {
    cwd: repoRoot,
    env: process.env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  captureOutput(result.stderr ?? '');
  return result;
}

/** The structured (Powertools) log lines a child wrote to stderr. */
function logLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{"level"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('npm run invoke', () => {
  it('prints only the response envelope on stdout, and its logs on stderr', async () => {
    const { sessionId } = await createSession();
    const result = invoke(['scheduling', join(fixtureDir, 'scheduling/list-projects.json'), '--session-id', sessionId]);
    expect(result.status).toBe(0);
    const envelope = JSON.parse(result.stdout);
    expect(envelope.response.httpStatusCode).toBe(200);
    expect(JSON.parse(envelope.response.responseBody['application/json'].body).total).toBe(4);
    // The handler did log (to stderr), so the log audit has the child's lines to scan.
    expect(logLines(result.stderr).length).toBeGreaterThan(0);
  });

  it('can create the demo session the fixture names', () => {
    const sessionId = `fixture-${Date.now()}`;
    const result = invoke([
      'scheduling',
      join(fixtureDir, 'scheduling/get-business-hours.json'),
      '--session-id',
      sessionId,
      '--demo-session',
    ]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).response.httpStatusCode).toBe(200);
  });

  it.each([
    ['information', 'get-working-hours.json'],
    ['notes', 'list-notes.json'],
  ])('runs the %s function on %s', (group, file) => {
    const result = invoke([
      group,
      join(fixtureDir, group, file),
      '--session-id',
      `invoke-${group}-${Date.now()}`,
      '--demo-session',
    ]);
    expect(result.status).toBe(0);
    const envelope = JSON.parse(result.stdout);
    expect(envelope.response.actionGroup).toBe(group);
    expect(envelope.response.httpStatusCode).toBe(200);
  });

  it('fails with usage on stderr for an unknown function', () => {
    const result = invoke(['nope', 'x.json']);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/unknown function nope/);
  });
});

import { describe, expect, it } from 'vitest';
import {
  buildUpdate,
  fromItem,
  newSession,
  takenMark,
  toItem,
} from '../../../../src/adapters/dynamodb/session-item.js';
import type { CachedProject, Session } from '../../../../src/domain/session.js';

const project: CachedProject = {
  category: 'Roofing',
  projectType: 'Installation',
  status: 'Pending',
  orderNumber: 'ORD-2026-003',
  scheduledDate: null,
  scheduledTime: null,
  city: 'Tampa',
  state: 'FL',
  zipcode: '33602',
};

const fullSession: Session = {
  sessionId: 'sess-1',
  customerId: '1645975',
  clientId: '09PF05VD',
  clientName: 'Demo Client',
  authToken: 'token-abc',
  stage: 'local',
  timeZone: 'America/New_York',
  firstName: 'Maria',
  createdAt: '2026-11-25T14:00:00.000Z',
  expiresAt: 1_795_000_000,
  projects: { '12347': project },
  scheduling: {
    '12347': {
      requestId: 'req-1',
      offeredDates: ['2026-12-02'],
      offeredSlots: { '2026-12-02': ['10:00 AM'] },
    },
  },
};

/** Every `#name` and `:value` placeholder used in the expressions. */
function placeholders(params: ReturnType<typeof buildUpdate>): { names: string[]; values: string[] } {
  const text = `${params.UpdateExpression} ${params.ConditionExpression}`;
  return {
    names: [...new Set(text.match(/#[A-Za-z0-9_]+/g) ?? [])].sort(),
    values: [...new Set(text.match(/:[A-Za-z0-9_]+/g) ?? [])].sort(),
  };
}

describe('toItem and fromItem', () => {
  it('round-trip a session with every optional field', () => {
    // Act
    const back = fromItem(toItem(fullSession));

    // Assess
    expect(back).toStrictEqual(fullSession);
  });

  it('round-trip a session without the optional fields', () => {
    // Prepare
    const { timeZone: _tz, firstName: _fn, projects: _p, ...minimal } = fullSession;
    const session: Session = { ...minimal, scheduling: {} };

    // Act
    const back = fromItem(toItem(session));

    // Assess
    expect(back).toStrictEqual(session);
  });

  it('writes snake_case attributes keyed by session_id', () => {
    // Act
    const item = toItem(fullSession);

    // Assess
    expect(item).toStrictEqual({
      session_id: 'sess-1',
      customer_id: '1645975',
      client_id: '09PF05VD',
      client_name: 'Demo Client',
      auth_token: 'token-abc',
      stage: 'local',
      time_zone: 'America/New_York',
      first_name: 'Maria',
      created_at: '2026-11-25T14:00:00.000Z',
      expires_at: 1_795_000_000,
      projects: { '12347': project },
      scheduling: fullSession.scheduling,
      pending_confirmation: undefined,
    });
  });

  it('reads an item without scheduling as an empty scheduling map', () => {
    // Prepare
    const { scheduling: _s, ...item } = toItem(fullSession);

    // Act
    const session = fromItem(item);

    // Assess
    expect(session.scheduling).toStrictEqual({});
  });

  it('drops a time zone or first name that is not a string', () => {
    // Prepare
    const item = { ...toItem(fullSession), time_zone: 5, first_name: null };

    // Act
    const session = fromItem(item);

    // Assess
    expect('timeZone' in session).toBe(false);
    expect('firstName' in session).toBe(false);
  });

  it('reads expires_at stored as a numeric string as a number', () => {
    // Prepare
    const item = { ...toItem(fullSession), expires_at: '1795000000' };

    // Act
    const session = fromItem(item);

    // Assess
    expect(session.expiresAt).toBe(1_795_000_000);
  });
});

describe('newSession', () => {
  it('stamps the creation time and expiry and starts with no scheduling state', () => {
    // Prepare
    const now = new Date('2026-11-25T14:00:00Z');

    // Act
    const session = newSession(
      { sessionId: 's', customerId: 'c', clientId: 'k', clientName: 'n', authToken: 't', stage: 'local' },
      now,
      1234,
    );

    // Assess
    expect(session).toStrictEqual({
      sessionId: 's',
      customerId: 'c',
      clientId: 'k',
      clientName: 'n',
      authToken: 't',
      stage: 'local',
      createdAt: '2026-11-25T14:00:00.000Z',
      expiresAt: 1234,
      scheduling: {},
    });
  });
});

describe('buildUpdate', () => {
  it('only slides expires_at for an empty patch', () => {
    // Act
    const params = buildUpdate({}, 1000, 2800);

    // Assess
    expect(params).toStrictEqual({
      UpdateExpression: 'SET #exp = :exp',
      ConditionExpression: 'attribute_exists(#sid) AND #exp > :now',
      ExpressionAttributeNames: { '#exp': 'expires_at', '#sid': 'session_id' },
      ExpressionAttributeValues: { ':exp': 2800, ':now': 1000 },
    });
  });

  it('conditions on the session existing and not being expired at the given time', () => {
    // Act
    const params = buildUpdate({ projects: { '1': project } }, 1_795_000_000, 1_795_001_800);

    // Assess
    expect(params.ConditionExpression).toBe('attribute_exists(#sid) AND #exp > :now');
    expect(params.ExpressionAttributeNames['#sid']).toBe('session_id');
    expect(params.ExpressionAttributeNames['#exp']).toBe('expires_at');
    expect(params.ExpressionAttributeValues[':now']).toBe(1_795_000_000);
  });

  it('replaces the project cache when the patch carries one', () => {
    // Prepare
    const projects = { '12347': project };

    // Act
    const params = buildUpdate({ projects }, 1000, 2800);

    // Assess
    expect(params.UpdateExpression).toBe('SET #exp = :exp, #projects = :projects');
    expect(params.ExpressionAttributeNames['#projects']).toBe('projects');
    expect(params.ExpressionAttributeValues[':projects']).toBe(projects);
    expect(params.ExpressionAttributeValues[':exp']).toBe(2800);
  });

  it('sets the scheduling state of one project without touching the others', () => {
    // Prepare
    const state = { requestId: 'req-9', offeredDates: ['2026-12-02'] };

    // Act
    const params = buildUpdate({ scheduling: { '12347': state } }, 1000, 2800);

    // Assess
    expect(params.UpdateExpression).toBe('SET #exp = :exp, #sch.#p0 = :s0');
    expect(params.ExpressionAttributeNames).toStrictEqual({
      '#exp': 'expires_at',
      '#sid': 'session_id',
      '#sch': 'scheduling',
      '#p0': '12347',
    });
    expect(params.ExpressionAttributeValues[':s0']).toBe(state);
    expect(params.UpdateExpression).not.toContain('#projects');
  });

  it('adds one date’s offered slots inside the project’s state, leaving the rest of it alone', () => {
    // Act
    const params = buildUpdate({ offeredSlots: { '12347': { '2026-12-02': ['10:00 AM', '02:00 PM'] } } }, 1000, 2800);

    // Assess
    expect(params.UpdateExpression).toBe('SET #exp = :exp, #sch.#o0.#offered.#d0_0 = :o0_0');
    expect(params.ExpressionAttributeNames).toStrictEqual({
      '#exp': 'expires_at',
      '#sid': 'session_id',
      '#sch': 'scheduling',
      '#o0': '12347',
      '#offered': 'offeredSlots',
      '#d0_0': '2026-12-02',
    });
    expect(params.ExpressionAttributeValues[':o0_0']).toStrictEqual(['10:00 AM', '02:00 PM']);
    expect(placeholders(params).names).toStrictEqual(Object.keys(params.ExpressionAttributeNames).sort());
  });

  it('removes the scheduling state of a project the patch sets to null', () => {
    // Act
    const params = buildUpdate({ scheduling: { '12345': null } }, 1000, 2800);

    // Assess
    expect(params.UpdateExpression).toBe('SET #exp = :exp REMOVE #sch.#p0');
    expect(params.ExpressionAttributeNames['#p0']).toBe('12345');
    expect(Object.keys(params.ExpressionAttributeValues).sort()).toStrictEqual([':exp', ':now']);
  });

  it('sets, removes and replaces in one update', () => {
    // Act
    const params = buildUpdate(
      {
        projects: { a: project },
        scheduling: { a: { cancellation: { cancelledAt: '2026-11-25T14:00:00Z', appointmentKey: 'k' } }, b: null },
      },
      1000,
      2800,
    );

    // Assess
    expect(params.UpdateExpression).toBe('SET #exp = :exp, #projects = :projects, #sch.#p0 = :s0 REMOVE #sch.#p1');
    expect(params.ExpressionAttributeNames['#p0']).toBe('a');
    expect(params.ExpressionAttributeNames['#p1']).toBe('b');
  });

  it.each([
    ['a plain id', '12347'],
    ['an id with a dot', 'a.b'],
    ['an id that looks like a placeholder', '#proj_12'],
    ['an id with expression syntax', 'x = :now REMOVE y'],
    ['an id with spaces and brackets', 'p [0]'],
  ])('never inlines %s into the expression', (_label, projectId) => {
    // Act
    const params = buildUpdate({ scheduling: { [projectId]: { requestId: 'r' }, other: null } }, 1000, 2800);

    // Assess
    expect(params.UpdateExpression).not.toContain(projectId);
    expect(params.ConditionExpression).not.toContain(projectId);
    expect(Object.values(params.ExpressionAttributeNames)).toContain(projectId);
    expect(params.UpdateExpression).toMatch(/^SET #exp = :exp, #sch\.#p0 = :s0 REMOVE #sch\.#p1$/);
  });

  it.each([
    ['an empty patch', {}],
    ['a project cache', { projects: { a: project } }],
    ['scheduling set and removed', { scheduling: { a: { requestId: 'r' }, b: null, c: { offeredDates: [] } } }],
    ['only removals', { scheduling: { a: null } }],
    ['an empty scheduling map', { scheduling: {} }],
  ])('declares exactly the names and values the expressions use for %s', (_label, patch) => {
    // Act
    const params = buildUpdate(patch, 1000, 2800);

    // Assess
    const used = placeholders(params);
    expect(Object.keys(params.ExpressionAttributeNames).sort()).toStrictEqual(used.names);
    expect(Object.keys(params.ExpressionAttributeValues).sort()).toStrictEqual(used.values);
  });
});

describe('pending confirmations and token refreshes', () => {
  const pending = {
    confirmationId: 'c-1',
    invocationId: 'inv-1',
    operation: 'add_note',
    summary: 'Add this note',
    details: { project_id: '12347' },
    invocations: [{ actionGroup: 'notes', apiPath: '/add-note', httpMethod: 'POST' }],
    createdAt: '2026-11-25T14:00:00.000Z',
  };

  it('sets a pending confirmation and a new PF360 token without touching anything else', () => {
    const update = buildUpdate({ pendingConfirmation: pending, authToken: 'fresh' }, 100, 200);
    expect(update.UpdateExpression).toBe('SET #exp = :exp, #token = :token, #pending = :pending');
    expect(update.ExpressionAttributeValues[':pending']).toEqual(pending);
    expect(update.ExpressionAttributeNames['#token']).toBe('auth_token');
  });

  it('removes the pending confirmation with null', () => {
    const update = buildUpdate({ pendingConfirmation: null }, 100, 200);
    expect(update.UpdateExpression).toBe('SET #exp = :exp REMOVE #pending');
    expect(update.ExpressionAttributeNames['#pending']).toBe('pending_confirmation');
  });

  it('round-trips a pending confirmation through the item', () => {
    const item = toItem({ ...fullSession, pendingConfirmation: pending });
    expect(fromItem(item).pendingConfirmation).toEqual(pending);
  });

  it('reads a confirmation already taken as not pending', () => {
    const item = toItem({ ...fullSession, pendingConfirmation: pending });
    const taken = { ...item, pending_confirmation: { ...(item.pending_confirmation as object), [takenMark]: 't-1' } };
    expect(fromItem(taken).pendingConfirmation).toBeUndefined();
  });
});

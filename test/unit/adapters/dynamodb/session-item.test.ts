import { describe, expect, it } from 'vitest';
import {
  fromItem,
  newSession,
  patchPlan,
  releaseConfirmationPlan,
  takeConfirmationPlan,
  takenConfirmation,
  takenMark,
  toItem,
} from '../../../../src/adapters/dynamodb/session-item.js';
import { epochSeconds, MalformedItemError } from '../../../../src/adapters/dynamodb/tables.js';
import { applyPlan, toUpdateParams, type UpdatePlan } from '../../../../src/adapters/dynamodb/update-plan.js';
import type { CachedProject, Session } from '../../../../src/domain/session.js';
import { thrown } from '../../../helpers/errors.js';

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

  it.each([
    ['no customer_id', { customer_id: undefined }, 'customer_id is not a non-empty string'],
    ['an empty auth_token', { auth_token: '' }, 'auth_token is not a non-empty string'],
    ['expires_at as a string', { expires_at: '1795000000' }, 'expires_at is not a number'],
    ['a time_zone that is a number', { time_zone: 5 }, 'time_zone is not a string'],
    ['scheduling that is a list', { scheduling: [] }, 'scheduling is not a map of maps'],
    ['a project that is a string', { projects: { '12347': 'Roofing' } }, 'projects is not a map of maps'],
    ['a pending confirmation that is a string', { pending_confirmation: 'c-1' }, 'pending_confirmation is not a map'],
  ])('refuses an item with %s, naming the attribute', (_label, change, message) => {
    // Prepare
    const item = Object.fromEntries(
      Object.entries({ ...toItem(fullSession), ...change }).filter(([, v]) => v !== undefined),
    );

    // Act
    const error = thrown(() => fromItem(item));

    // Assess
    expect(error).toBeInstanceOf(MalformedItemError);
    expect((error as Error).message).toBe(`sessions table: a session item's ${message}`);
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
      expiresAt: epochSeconds(now) + 1234,
      scheduling: {},
    });
  });
});

/** The session item after a plan, as DynamoDB (and the in-memory store) would leave it. */
function applied(item: Record<string, unknown>, plan: UpdatePlan) {
  return applyPlan(item, plan, { session_id: String(item.session_id) });
}

const at = new Date('2026-11-25T14:00:00Z');
const live = toItem({ ...fullSession, expiresAt: epochSeconds(at) + 60 });

describe('patchPlan', () => {
  it('only slides the expiry for an empty patch', () => {
    // Act
    const plan = patchPlan({}, at, 1800);

    // Assess
    expect(plan.set).toEqual([[['expires_at'], epochSeconds(at) + 1800]]);
    expect(plan.remove).toEqual([]);
  });

  it('touches nothing of a session that is gone or expired at that time', () => {
    // Prepare
    const expired = { ...live, expires_at: epochSeconds(at) };

    // Act
    const results = [applied(expired, patchPlan({}, at, 1800)), applyPlan(undefined, patchPlan({}, at, 1800), {})];

    // Assess
    expect(results).toEqual([undefined, undefined]);
  });

  it("replaces the project cache and one project's scheduling state, leaving the other projects alone", () => {
    // Prepare
    const item = { ...live, scheduling: { ...fullSession.scheduling, '12350': { requestId: 'req-2' } } };
    const state = { requestId: 'req-9', offeredDates: ['2026-12-09'] };

    // Act
    const next = applied(item, patchPlan({ projects: { '1': project }, scheduling: { '12347': state } }, at, 1800));

    // Assess
    expect(next?.projects).toEqual({ '1': project });
    expect(next?.scheduling).toEqual({ '12347': state, '12350': { requestId: 'req-2' } });
  });

  it("adds one date's offered slots inside the project's state, keeping its request and other dates", () => {
    // Act
    const next = applied(live, patchPlan({ offeredSlots: { '12347': { '2026-12-03': ['01:00 PM'] } } }, at, 1800));

    // Assess
    expect(next?.scheduling).toEqual({
      '12347': {
        requestId: 'req-1',
        offeredDates: ['2026-12-02'],
        offeredSlots: { '2026-12-02': ['10:00 AM'], '2026-12-03': ['01:00 PM'] },
      },
    });
  });

  it('removes the scheduling state of a project the patch sets to null', () => {
    // Act
    const next = applied(live, patchPlan({ scheduling: { '12347': null } }, at, 1800));

    // Assess
    expect(next?.scheduling).toEqual({});
  });

  it.each([
    ['a plain id', '12347'],
    ['an id with a dot', 'a.b'],
    ['an id that looks like a placeholder', '#proj_12'],
    ['an id with expression syntax', 'x = :now REMOVE y'],
    ['an id with spaces and brackets', 'p [0]'],
  ])('never inlines %s into the expressions', (_label, projectId) => {
    // Act
    const params = toUpdateParams(
      patchPlan({ scheduling: { [projectId]: { requestId: 'r' }, other: null } }, at, 1800),
    );

    // Assess
    expect(params.UpdateExpression).not.toContain(projectId);
    expect(params.ConditionExpression).not.toContain(projectId);
    expect(Object.values(params.ExpressionAttributeNames)).toContain(projectId);
  });
});

describe('pending confirmations and token refreshes', () => {
  const pending = {
    confirmationId: 'c-1',
    operation: 'add_note',
    summary: 'Add this note',
    details: { project_id: '12347' },
    resume: {
      kind: 'returnControl' as const,
      invocationId: 'inv-1',
      invocations: [{ actionGroup: 'notes', apiPath: '/add-note', httpMethod: 'POST' }],
    },
    createdAt: '2026-11-25T14:00:00.000Z',
  };

  it('sets a pending confirmation and a new PF360 token without touching anything else', () => {
    const next = applied(live, patchPlan({ pendingConfirmation: pending, authToken: 'fresh' }, at, 1800));
    expect(next).toEqual({
      ...live,
      auth_token: 'fresh',
      pending_confirmation: pending,
      expires_at: epochSeconds(at) + 1800,
    });
  });

  it('removes the pending confirmation with null', () => {
    const next = applied(
      { ...live, pending_confirmation: pending },
      patchPlan({ pendingConfirmation: null }, at, 1800),
    );
    expect(next).toBeDefined();
    expect(next).not.toHaveProperty('pending_confirmation');
  });

  it('takes a pending confirmation once: the same claim again succeeds, another claim does not', () => {
    const item = { ...live, pending_confirmation: pending };
    const taken = applied(item, takeConfirmationPlan('c-1', 'claim-a', at, 1800));
    expect(takenConfirmation(taken)).toEqual(pending);
    expect(taken && fromItem(taken).pendingConfirmation).toBeUndefined();
    expect(takenConfirmation(applied(taken ?? {}, takeConfirmationPlan('c-1', 'claim-a', at, 1800)))).toEqual(pending);
    expect(applied(taken ?? {}, takeConfirmationPlan('c-1', 'claim-b', at, 1800))).toBeUndefined();
    expect(applied(item, takeConfirmationPlan('c-other', 'claim-a', at, 1800))).toBeUndefined();
  });

  it('releases a taken confirmation only for the claim that took it', () => {
    const taken = applied({ ...live, pending_confirmation: pending }, takeConfirmationPlan('c-1', 'claim-a', at, 1800));
    expect(applied(taken ?? {}, releaseConfirmationPlan('c-1', 'claim-b'))).toBeUndefined();
    const released = applied(taken ?? {}, releaseConfirmationPlan('c-1', 'claim-a'));
    expect(released && fromItem(released).pendingConfirmation).toEqual(pending);
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

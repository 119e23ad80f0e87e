/**
 * The session entity of the sessions table: the pure mapping between a Session and its item, and
 * every write to it as an UpdatePlan — a patch, taking a pending confirmation, releasing it. The
 * DynamoDB store sends these plans; the in-memory store applies them (update-plan.ts). Top-level
 * attributes are snake_case; `projects` and `scheduling` are maps keyed by project id.
 */
import {
  expiryFrom,
  type NewSession,
  type PendingConfirmation,
  type Session,
  type SessionPatch,
} from '../../domain/session.js';
import { epochSeconds, MalformedItemError, sessionsTable } from './tables.js';
import type { Condition, Item, UpdatePlan } from './update-plan.js';

const { key, ttl } = sessionsTable;

/** Set on `pending_confirmation` when it is answered (takeConfirmationPlan). */
export const takenMark = 'taken_by';

export function keyOf(sessionId: string): Item {
  return { [key]: sessionId };
}

export function toItem(session: Session): Item {
  const item: Item = {
    [key]: session.sessionId,
    customer_id: session.customerId,
    client_id: session.clientId,
    client_name: session.clientName,
    auth_token: session.authToken,
    stage: session.stage,
    time_zone: session.timeZone,
    first_name: session.firstName,
    created_at: session.createdAt,
    [ttl]: session.expiresAt,
    projects: session.projects,
    scheduling: session.scheduling,
    pending_confirmation: session.pendingConfirmation,
  };
  // As stored: DynamoDB keeps no attribute for an undefined member.
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined));
}

export function newSession(input: NewSession, now: Date, ttlSeconds: number): Session {
  return { ...input, createdAt: now.toISOString(), expiresAt: expiryFrom(now, ttlSeconds), scheduling: {} };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(attribute: string, expected: string): MalformedItemError {
  return new MalformedItemError(`sessions table: a session item's ${attribute} is not ${expected}`);
}

function requiredString(item: Item, attribute: string): string {
  const value = item[attribute];
  if (typeof value !== 'string' || value === '') throw malformed(attribute, 'a non-empty string');
  return value;
}

function optionalString(item: Item, attribute: string): string | undefined {
  const value = item[attribute];
  if (value !== undefined && typeof value !== 'string') throw malformed(attribute, 'a string');
  return value;
}

/** A map whose every member is a map (project id → state). */
function mapOfMaps<T>(item: Item, attribute: string): Record<string, T> | undefined {
  const value = item[attribute];
  if (value === undefined) return undefined;
  if (!isMap(value) || !Object.values(value).every(isMap)) throw malformed(attribute, 'a map of maps');
  return value as Record<string, T>;
}

/**
 * The session an item holds. A malformed item (a missing identity attribute, a TTL that is not a
 * number, a map that is not one) is refused with the attribute named — never guessed at: identity
 * read wrongly would act for the wrong customer.
 */
export function fromItem(item: Item): Session {
  const expiresAt = item[ttl];
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) throw malformed(ttl, 'a number');
  const session: Session = {
    sessionId: requiredString(item, key),
    customerId: requiredString(item, 'customer_id'),
    clientId: requiredString(item, 'client_id'),
    clientName: requiredString(item, 'client_name'),
    authToken: requiredString(item, 'auth_token'),
    stage: requiredString(item, 'stage'),
    createdAt: requiredString(item, 'created_at'),
    expiresAt,
    scheduling: mapOfMaps<Session['scheduling'][string]>(item, 'scheduling') ?? {},
  };
  const timeZone = optionalString(item, 'time_zone');
  const firstName = optionalString(item, 'first_name');
  const projects = mapOfMaps<NonNullable<Session['projects']>[string]>(item, 'projects');
  if (timeZone) session.timeZone = timeZone;
  if (firstName) session.firstName = firstName;
  if (projects) session.projects = projects;
  const pending = item.pending_confirmation;
  if (pending !== undefined && !isMap(pending)) throw malformed('pending_confirmation', 'a map');
  // A confirmation already taken (answered) is no longer pending.
  if (pending && !(takenMark in pending)) session.pendingConfirmation = pending as unknown as PendingConfirmation;
  return session;
}

/** The session exists and has not expired by `now` (an expired item may linger until DynamoDB's TTL sweep). */
function live(now: Date): Condition {
  return { and: [{ exists: [key] }, { greaterThan: [ttl], value: epochSeconds(now) }] };
}

/**
 * A new session may take the place of an expired one with the same id: it is gone for every
 * reader already (only DynamoDB's TTL sweep, up to days later, has not removed it yet), and a
 * session id derived from the customer (the Gateway's) comes back after its session expired.
 * Never over a live session. The new item replaces the old one whole: nothing of it survives.
 */
export function createCondition(now: Date): Condition {
  return { not: live(now) };
}

/**
 * One patch as one write: slides the TTL, sets only what changed — so actions on different
 * projects never overwrite each other — and refuses (by condition) to touch a session that is
 * gone or expired, which is never resurrected.
 */
export function patchPlan(patch: SessionPatch, now: Date, ttlSeconds: number): UpdatePlan {
  const set: [readonly string[], unknown][] = [[[ttl], expiryFrom(now, ttlSeconds)]];
  const remove: (readonly string[])[] = [];
  if (patch.projects) set.push([['projects'], patch.projects]);
  if (patch.authToken !== undefined) set.push([['auth_token'], patch.authToken]);
  if (patch.pendingConfirmation === null) remove.push(['pending_confirmation']);
  else if (patch.pendingConfirmation) set.push([['pending_confirmation'], patch.pendingConfirmation]);
  for (const [projectId, state] of Object.entries(patch.scheduling ?? {})) {
    if (state === null) remove.push(['scheduling', projectId]);
    else set.push([['scheduling', projectId], state]);
  }
  // One nested SET per date: a concurrent action's change to the project's state survives.
  for (const [projectId, byDate] of Object.entries(patch.offeredSlots ?? {})) {
    for (const [date, slots] of Object.entries(byDate))
      set.push([['scheduling', projectId, 'offeredSlots', date], slots]);
  }
  return { set, remove, condition: live(now) };
}

/**
 * Marks the pending confirmation `confirmationId` taken by `claim`, once. Marked rather than
 * removed, so that a retry of this very call after a lost answer (the first attempt applied)
 * matches its own mark and still succeeds, while any other call finds it taken.
 */
export function takeConfirmationPlan(confirmationId: string, claim: string, now: Date, ttlSeconds: number): UpdatePlan {
  return {
    set: [
      [['pending_confirmation', takenMark], claim],
      [[ttl], expiryFrom(now, ttlSeconds)],
    ],
    condition: {
      and: [
        { equals: ['pending_confirmation', 'confirmationId'], value: confirmationId },
        live(now),
        {
          or: [
            { absent: ['pending_confirmation', takenMark] },
            { equals: ['pending_confirmation', takenMark], value: claim },
          ],
        },
      ],
    },
  };
}

/** Opens a taken confirmation again, only while it is still the one `claim` took (not replaced since). */
export function releaseConfirmationPlan(confirmationId: string, claim: string): UpdatePlan {
  return {
    remove: [['pending_confirmation', takenMark]],
    condition: {
      and: [
        { equals: ['pending_confirmation', 'confirmationId'], value: confirmationId },
        { equals: ['pending_confirmation', takenMark], value: claim },
      ],
    },
  };
}

/** The confirmation a take returned (the item after the update), without the taken mark. */
export function takenConfirmation(item: Item | undefined): PendingConfirmation | undefined {
  const pending = item?.pending_confirmation;
  if (!isMap(pending)) return undefined;
  const { [takenMark]: _taken, ...rest } = pending;
  return rest as unknown as PendingConfirmation;
}

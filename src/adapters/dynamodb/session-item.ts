/**
 * Pure mapping between the Session and its DynamoDB item, and the one UpdateItem a patch needs.
 * Top-level attributes are snake_case; `projects` and `scheduling` are maps keyed by project id.
 */
import type { NewSession, PendingConfirmation, Session, SessionPatch } from '../../domain/session.js';

export type SessionItem = Record<string, unknown>;

/** Set on `pending_confirmation` when it is answered (DynamoDbSessionStore.takePendingConfirmation). */
export const takenMark = 'taken_by';

export function toItem(session: Session): SessionItem {
  return {
    session_id: session.sessionId,
    customer_id: session.customerId,
    client_id: session.clientId,
    client_name: session.clientName,
    auth_token: session.authToken,
    stage: session.stage,
    time_zone: session.timeZone,
    first_name: session.firstName,
    created_at: session.createdAt,
    expires_at: session.expiresAt,
    projects: session.projects,
    scheduling: session.scheduling,
    pending_confirmation: session.pendingConfirmation,
  };
}

export function newSession(input: NewSession, now: Date, expiresAt: number): Session {
  return { ...input, createdAt: now.toISOString(), expiresAt, scheduling: {} };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function fromItem(item: SessionItem): Session {
  const session: Session = {
    sessionId: String(item.session_id),
    customerId: String(item.customer_id),
    clientId: String(item.client_id),
    clientName: String(item.client_name),
    authToken: String(item.auth_token),
    stage: String(item.stage),
    createdAt: String(item.created_at),
    expiresAt: Number(item.expires_at),
    scheduling: (item.scheduling ?? {}) as Session['scheduling'],
  };
  const timeZone = optionalString(item.time_zone);
  const firstName = optionalString(item.first_name);
  if (timeZone) session.timeZone = timeZone;
  if (firstName) session.firstName = firstName;
  if (item.projects) session.projects = item.projects as Session['projects'];
  const pending = item.pending_confirmation as Record<string, unknown> | undefined;
  // A confirmation already taken (answered) is no longer pending.
  if (pending && !(takenMark in pending)) session.pendingConfirmation = pending as unknown as PendingConfirmation;
  return session;
}

export interface UpdateParams {
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

/**
 * One UpdateItem for a patch: slides `expires_at`, sets only what changed, and refuses (by
 * condition) to touch a session that is gone or expired.
 */
export function buildUpdate(patch: SessionPatch, nowSeconds: number, expiresAt: number): UpdateParams {
  const names: Record<string, string> = { '#exp': 'expires_at', '#sid': 'session_id' };
  const values: Record<string, unknown> = { ':exp': expiresAt, ':now': nowSeconds };
  const set = ['#exp = :exp'];
  const remove: string[] = [];
  if (patch.projects) {
    names['#projects'] = 'projects';
    values[':projects'] = patch.projects;
    set.push('#projects = :projects');
  }
  if (patch.authToken !== undefined) {
    names['#token'] = 'auth_token';
    values[':token'] = patch.authToken;
    set.push('#token = :token');
  }
  if (patch.pendingConfirmation !== undefined) {
    names['#pending'] = 'pending_confirmation';
    if (patch.pendingConfirmation === null) {
      remove.push('#pending');
    } else {
      values[':pending'] = patch.pendingConfirmation;
      set.push('#pending = :pending');
    }
  }
  const scheduling = Object.entries(patch.scheduling ?? {});
  const offered = Object.entries(patch.offeredSlots ?? {});
  if (scheduling.length > 0 || offered.length > 0) names['#sch'] = 'scheduling';
  scheduling.forEach(([projectId, state], i) => {
    names[`#p${i}`] = projectId;
    if (state === null) {
      remove.push(`#sch.#p${i}`);
    } else {
      values[`:s${i}`] = state;
      set.push(`#sch.#p${i} = :s${i}`);
    }
  });
  // One nested SET per date: a concurrent action's change to the project's state survives.
  offered.forEach(([projectId, byDate], i) => {
    names[`#o${i}`] = projectId;
    names['#offered'] = 'offeredSlots';
    Object.entries(byDate).forEach(([date, slots], j) => {
      names[`#d${i}_${j}`] = date;
      values[`:o${i}_${j}`] = slots;
      set.push(`#sch.#o${i}.#offered.#d${i}_${j} = :o${i}_${j}`);
    });
  });
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: 'attribute_exists(#sid) AND #exp > :now',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

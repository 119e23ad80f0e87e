/**
 * The conversation entity of the sessions table (tables.ts): the code-defined agent's snapshot,
 * keyed `conversation#<session id>` (`#` never occurs in a session id) and expiring with the
 * session. Kept apart from the session item so that the actions' one read per call stays small.
 */
import { expiryFrom } from '../../domain/session.js';
import type { StoredConversation } from '../../ports/conversation-store.js';
import { MalformedItemError, sessionsTable } from './tables.js';
import type { Item, UpdatePlan } from './update-plan.js';

export function conversationKey(sessionId: string): Item {
  return { [sessionsTable.key]: `conversation#${sessionId}` };
}

export function savePlan(
  next: Omit<StoredConversation, 'version'>,
  read: number | undefined,
  now: Date,
  ttlSeconds: number,
): UpdatePlan {
  return {
    set: [
      [['snapshot'], next.snapshot],
      [['version'], (read ?? 0) + 1],
      [['interrupts'], next.interrupts],
      [['unfinished'], next.unfinished],
      [[sessionsTable.ttl], expiryFrom(now, ttlSeconds)],
    ],
    condition: read === undefined ? { absent: [sessionsTable.key] } : { equals: ['version'], value: read },
  };
}

export function conversationOf(item: Item): StoredConversation {
  const { snapshot, version, interrupts, unfinished } = item;
  if (typeof snapshot !== 'string') throw new MalformedItemError('sessions table: a conversation has no snapshot');
  if (typeof version !== 'number')
    throw new MalformedItemError('sessions table: a conversation has no numeric version');
  if (!Array.isArray(interrupts) || !interrupts.every((i) => typeof i === 'string')) {
    throw new MalformedItemError('sessions table: a conversation has no list of interrupts');
  }
  return { snapshot, version, interrupts, unfinished: unfinished === true };
}

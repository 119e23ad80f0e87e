/**
 * The server-side session, keyed by the Bedrock sessionId (DynamoDB, sliding 30-minute TTL). It is the only source of
 * identity for the action groups: the model never supplies customer, client or token.
 */

import { epochSeconds } from './time.js';

/** What we remember of one of the customer's projects from the PF360 dashboard. */
export interface CachedProject {
  category: string;
  projectType: string | null;
  status: string;
  orderNumber: string | null;
  scheduledDate: string | null;
  scheduledTime: string | null;
  city: string | null;
  state: string | null;
  zipcode: string | null;
}

/** A booking this session made, kept so status reflects it before the dashboard does. */
export interface SessionBooking {
  date: string;
  time: string;
  confirmationNumber: string | null;
  bookedAt: string;
  /** The PF360 request the booking used up (identifies retries of the same booking). */
  requestId: string;
}

/** A cancellation this session made, and which appointment it cancelled. */
export interface SessionCancellation {
  cancelledAt: string;
  /** appointmentKey() of the cancelled appointment (identifies retries of the same cancel). */
  appointmentKey: string;
}

/** Per-project scheduling state: the open PF360 request and what it offered. */
export interface ProjectScheduling {
  requestId?: string;
  offeredDates?: string[];
  /** Slots get_time_slots returned, by date. Only these can be booked. */
  offeredSlots?: Record<string, string[]>;
  booking?: SessionBooking;
  cancellation?: SessionCancellation;
}

/** What carries on once the customer has answered a confirmation: the agent's paused turn, or a tool call. */
export type AgentResume =
  /** Bedrock Agents (Classic): the returnControl to answer with CONFIRM or DENY (no values). */
  | {
      kind: 'returnControl';
      invocationId: string;
      invocations: { actionGroup: string; apiPath: string; httpMethod: string; agentId?: string }[];
    }
  /**
   * The code-defined agent: its paused turn's interrupts, each with the digest of the tool input
   * the customer was shown (the turn itself is stored with the conversation).
   */
  | { kind: 'interrupts'; interrupts: { interruptId: string; tool: string; inputDigest: string }[] }
  /**
   * A two-step write on the Gateway or MCP surfaces (src/tools/two-step.ts): the first call was
   * only checked; the second, with the confirmation id, runs only for this tool with an input of
   * this digest.
   */
  | { kind: 'toolCall'; tool: string; inputDigest: string };

/** A write waiting for the customer's yes or no (the chat backend, or a two-step tool call). */
export interface PendingConfirmation {
  confirmationId: string;
  operation: string;
  summary: string;
  details: Record<string, string>;
  createdAt: string;
  resume: AgentResume;
}

export interface Session {
  sessionId: string;
  customerId: string;
  clientId: string;
  clientName: string;
  /** The customer's PF360 token: never logged, never sent to the model. */
  authToken: string;
  stage: string;
  timeZone?: string;
  firstName?: string;
  createdAt: string;
  /** Epoch seconds; DynamoDB's TTL attribute. */
  expiresAt: number;
  /** The customer's projects by id, once the dashboard was read in this session. */
  projects?: Record<string, CachedProject>;
  scheduling: Record<string, ProjectScheduling>;
  pendingConfirmation?: PendingConfirmation;
}

export type NewSession = Omit<Session, 'expiresAt' | 'createdAt' | 'scheduling' | 'projects' | 'pendingConfirmation'>;

/**
 * The attributes one action changes. Absent members are left alone, so concurrent actions on
 * different projects do not overwrite each other.
 */
export interface SessionPatch {
  /** Replaces the whole project cache (a fresh dashboard read). */
  projects?: Record<string, CachedProject>;
  /** Sets (or, with null, removes) the scheduling state of single projects. */
  scheduling?: Record<string, ProjectScheduling | null>;
  /**
   * Adds the slots offered for one date of a project (project id → date → slots) to the
   * project's existing state, leaving its request, dates and other dates' slots as they are.
   * Not for a project that `scheduling` sets in the same patch.
   */
  offeredSlots?: Record<string, Record<string, string[]>>;
  /** A fresh PF360 token from the portal. */
  authToken?: string;
  /** Sets, or with null clears, the write waiting for confirmation. */
  pendingConfirmation?: PendingConfirmation | null;
}

export function isExpired(session: Pick<Session, 'expiresAt'>, now: Date): boolean {
  return session.expiresAt * 1000 <= now.getTime();
}

export function expiryFrom(now: Date, ttlSeconds: number): number {
  return epochSeconds(now) + ttlSeconds;
}

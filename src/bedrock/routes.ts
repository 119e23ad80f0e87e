/**
 * Route tables typed by the generated `paths` of each action spec and by its generated catalog:
 * a spec operation without a route, a route the spec does not declare, or an operation marked
 * `x-requireConfirmation` in its spec that is not declared as a write (or the other way round)
 * fails `npm run typecheck`. The edge checks the same at cold start. Inputs and outputs of each
 * operation are the spec's own types.
 */
import type { SessionPatch } from '../domain/session.js';

type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';
type Defined<T> = [NonNullable<T>] extends [never] ? never : NonNullable<T>;

/** `"GET /list-projects" | "POST /confirm-appointment" | …` for a generated `paths`. */
export type RouteKey<P> = {
  [K in keyof P & string]: {
    [M in Method & keyof P[K]]: [Defined<P[K][M]>] extends [never] ? never : `${Uppercase<M>} ${K}`;
  }[Method & keyof P[K]];
}[keyof P & string];

type OperationAt<P, R> = R extends `${infer M} ${infer K}`
  ? K extends keyof P
    ? Lowercase<M> extends keyof P[K]
      ? Defined<P[K][Lowercase<M>]>
      : never
    : never
  : never;

type Part<T> = [T] extends [never] ? unknown : T extends undefined ? unknown : NonNullable<T>;

/** Path and query parameters plus JSON body properties, as one object (Bedrock flattens them). */
export type InputOf<O> = (O extends { parameters: { query?: infer Q } } ? Part<Q> : unknown) &
  (O extends { parameters: { path?: infer T } } ? Part<T> : unknown) &
  (O extends { requestBody?: { content: { 'application/json': infer B } } } ? Part<B> : unknown);

export type OutputOf<O> = O extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;

export interface OperationResult<O> {
  body: O;
  /** What changed in the session; applied with the TTL slide in the action's one write. */
  sessionPatch?: SessionPatch;
  /** True when PF360 state was changed: a failed session write must not hide that success. */
  changedUpstream?: boolean;
}

/** A read: a plain function of the validated input and the call's context. */
export type Operation<I, O, C> = (input: I, context: C) => Promise<OperationResult<O>>;

export interface PreparedWrite<O> {
  /**
   * What the write acts on, chosen so that a retry of the same write maps to the same key and a
   * new write (a new PF360 request, another appointment) does not: the request id for bookings,
   * the appointment for a cancel.
   */
  target: string;
  /**
   * The preconditions alone, with no side effects: what a dry run (the agent, before it asks the
   * customer) checks, so that nobody is asked to confirm a change that cannot be made.
   */
  check?: () => void;
  /** The preconditions and the change itself; runs at most once per key. */
  perform: () => Promise<OperationResult<O>>;
}

/**
 * A write (`x-requireConfirmation: ENABLED` in its spec): the edge runs it through the write
 * stack — one run per idempotency key, every attempt audited — instead of calling it directly.
 */
export interface WriteOperation<I, O, C> {
  readonly kind: 'write';
  /** Checks the spec cannot express, before the write stack: a refusal here is not audited. */
  normalize?: (input: I) => I;
  /** The project written to and the write's own parameters: the audit record and part of the key. */
  describe: (input: I) => { projectId: string; parameters: Record<string, string> };
  /** Ownership and reads, no changes: names the target. Runs on every attempt, replays included. */
  prepare: (input: I, context: C) => Promise<PreparedWrite<O>>;
  /** PF360's confirmation, cancellation or note id in the result. */
  confirmationOf: (body: O) => string | null | undefined;
}

export function defineWrite<I, O, C>(write: Omit<WriteOperation<I, O, C>, 'kind'>): WriteOperation<I, O, C> {
  return { kind: 'write', ...write };
}

export function isWriteOperation<R>(route: R): route is Extract<R, { readonly kind: 'write' }> {
  return typeof route === 'object' && route !== null && (route as { kind?: unknown }).kind === 'write';
}

interface CatalogRoute {
  readonly method: string;
  readonly apiPath: string;
  readonly requiresConfirmation: boolean;
}

/** The route keys of a generated catalog's operations that require confirmation (the writes). */
export type WriteRouteKeys<Catalog extends readonly CatalogRoute[]> = {
  [K in keyof Catalog]: Catalog[K] extends { readonly requiresConfirmation: true }
    ? `${Catalog[K]['method']} ${Catalog[K]['apiPath']}`
    : never;
}[number];

/** Every route of the spec: a WriteOperation for the writes of `Writes`, a plain Operation otherwise. */
export type Routes<P, C, Writes extends string> = {
  [R in RouteKey<P>]: R extends Writes
    ? WriteOperation<InputOf<OperationAt<P, R>>, OutputOf<OperationAt<P, R>>, C>
    : Operation<InputOf<OperationAt<P, R>>, OutputOf<OperationAt<P, R>>, C>;
};

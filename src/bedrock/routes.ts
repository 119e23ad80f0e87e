/**
 * Route tables typed by the generated `paths` of each action spec: a spec operation without a
 * route, or a route the spec does not declare, fails `npm run typecheck`. Inputs and outputs of
 * each operation are the spec's own types.
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

export type Operation<I, O, C> = (input: I, context: C) => Promise<OperationResult<O>>;

export type Routes<P, C> = {
  [R in RouteKey<P>]: Operation<InputOf<OperationAt<P, R>>, OutputOf<OperationAt<P, R>>, C>;
};

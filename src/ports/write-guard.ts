/**
 * Idempotent execution of writes: the first call with a key runs; a repeat within the window gets
 * the first result without running; a repeat while the first still runs gets ConflictError
 * (409 write_in_progress). Failed runs are not remembered, so they can be retried.
 */
export interface WriteGuard {
  run<T>(
    key: Record<string, unknown>,
    remainingMs: number,
    perform: () => Promise<T>,
  ): Promise<{ value: T; replayed: boolean }>;
}

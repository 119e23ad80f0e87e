/** Per-key request counting in fixed windows. */
export interface RateLimiter {
  /** Counts one request; `allowed` false (with seconds to wait) when the key is over its limit. */
  hit(key: string, now: Date): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

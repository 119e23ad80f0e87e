/**
 * A `fetch` with the upstream policy (API_TIMEOUT_MS, API_MAX_RETRIES, …), shared by the PF360 and weather clients:
 * - every attempt has a deadline covering the whole exchange, body included (a response whose
 *   body stalls or whose connection resets mid-body fails the attempt, not a later JSON parse);
 * - GET/HEAD are retried on timeout, network error, 5xx and 429, with exponential backoff and
 *   full jitter, honouring Retry-After when it fits the budget;
 * - other methods are never retried: a POST that may have reached PF360 is not sent twice.
 * It never throws for an HTTP status; it throws typed errors only for transport failures.
 */
import type { HttpPolicyConfig } from '../../config/env.js';
import { AppError } from '../../domain/errors.js';

export interface PolicyDeps {
  /** Name used in error sentences, e.g. "The scheduling system". */
  upstream: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** A state change whatever its method: never retried, and timeouts say it may have happened. */
  oneShot?: boolean;
  /** Called once per attempt with facts only (no URLs with ids, no bodies). */
  onAttempt?: (info: { method: string; attempt: number; status?: number; error?: string; ms: number }) => void;
}

const retryableMethods = new Set(['GET', 'HEAD']);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After in ms (delta-seconds or HTTP date), or undefined. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only an HTTP-date (e.g. "Wed, 21 Oct 2026 07:28:00 GMT"); Date.parse accepts junk like "1.5".
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base * 2^attempt)]. */
export function backoffMs(attempt: number, policy: HttpPolicyConfig, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

export function createResilientFetch(policy: HttpPolicyConfig, deps: PolicyDeps): typeof fetch {
  const baseFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  const now = deps.now ?? Date.now;

  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const method = request.method.toUpperCase();
    const idempotent = retryableMethods.has(method) && !deps.oneShot;
    const maxAttempts = idempotent ? policy.maxRetries + 1 : 1;
    const body = request.body ? await request.arrayBuffer() : undefined;

    for (let attempt = 0; ; attempt++) {
      const started = now();
      const last = attempt + 1 >= maxAttempts;
      let delay: number | undefined;
      try {
        const signal = AbortSignal.timeout(policy.timeoutMs);
        const response = await baseFetch(request.url, {
          method,
          headers: request.headers,
          ...(body ? { body } : {}),
          signal,
        });
        // Read the body under the same deadline so a stalled or reset body fails this attempt.
        const payload = await response.arrayBuffer();
        deps.onAttempt?.({ method, attempt, status: response.status, ms: now() - started });
        // The body was read above; hand back a Response that carries it.
        const answer = () =>
          new Response(payload.byteLength > 0 ? payload : null, {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
          });
        const retryable = response.status >= 500 || response.status === 429;
        if (!retryable || last) return answer();
        const hinted = retryAfterMs(response.headers.get('retry-after'), now());
        // Waiting that long would outlive the caller's budget: hand the 429/503 back now.
        if (hinted !== undefined && hinted > policy.maxRetryAfterMs) return answer();
        delay = hinted ?? backoffMs(attempt, policy, random);
      } catch (error) {
        const timedOut = isTimeout(error);
        deps.onAttempt?.({
          method,
          attempt,
          error: timedOut ? 'timeout' : error instanceof Error ? error.name : 'error',
          ms: now() - started,
        });
        if (last) {
          const writeNote = idempotent
            ? ''
            : ' It may or may not have been applied: check the current state before trying again.';
          if (timedOut) {
            throw new AppError(
              'upstream_timeout',
              `${deps.upstream} did not answer in time.${writeNote || ' Please try again in a minute.'}`,
              { cause: error },
            );
          }
          throw new AppError(
            'upstream_unreachable',
            `${deps.upstream} could not be reached or dropped the connection.${writeNote || ' Please try again in a minute.'}`,
            { cause: error },
          );
        }
        delay = backoffMs(attempt, policy, random);
      }
      await sleep(delay);
    }
  };
}

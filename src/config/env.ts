/**
 * Configuration, read once per cold start from the environment and validated. The readers below
 * are the only way settings are parsed (the chat config and the DynamoDB client use them too),
 * so a missing or malformed setting fails loudly at start, not mid-request.
 */
import { isValidTimeZone } from '../domain/time.js';

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function str(env: Env, key: string, fallback?: string): string {
  const value = env[key]?.trim();
  if (value) return value;
  if (fallback !== undefined) return fallback;
  throw new ConfigError(`${key} must be set`);
}

export function bool(env: Env, key: string, fallback: boolean): boolean {
  const value = env[key]?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigError(`${key} must be "true" or "false", got "${env[key]}"`);
}

export function int(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${key} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function url(env: Env, key: string, fallback?: string): string {
  const value = str(env, key, fallback);
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  // new URL('localhost:4010') parses with "localhost:" as the scheme: insist on http(s).
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ConfigError(`${key} must be an absolute http(s) URL such as https://api.example.com, got "${value}"`);
  }
  return parsed.toString().replace(/\/$/, '');
}

export function timeZone(env: Env, key: string, fallback: string): string {
  const value = str(env, key, fallback);
  if (!isValidTimeZone(value)) {
    throw new ConfigError(`${key} must be an IANA time zone such as America/New_York, got "${value}"`);
  }
  return value;
}

/** Timeout and retry policy shared by every upstream HTTP client (PF360, weather). */
export interface HttpPolicyConfig {
  timeoutMs: number;
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the call fails fast instead. */
  maxRetryAfterMs: number;
}

export interface ActionConfig {
  stage: string;
  sessionsTable: string;
  idempotencyTable: string;
  auditTable: string;
  sessionTtlSeconds: number;
  /** How long a write's result answers repeats of the same write (the idempotency window). */
  idempotencyTtlSeconds: number;
  auditRetentionDays: number;
  useMockApi: boolean;
  pf360BaseUrl: string;
  weatherBaseUrl: string;
  geocodingBaseUrl: string;
  enableRealConfirm: boolean;
  enableRealCancel: boolean;
  pf360Http: HttpPolicyConfig;
  weatherHttp: HttpPolicyConfig;
  /** PF360 stamps created_at in this zone (reference §1.5: Asia/Kolkata). */
  pf360TimeZone: string;
  /** Customer time zone when the session does not carry one. */
  defaultTimeZone: string;
  maxResponseBytes: number;
  /** Country for geocoding job-site postcodes (PF360 addresses are US). */
  weatherCountryCode: string;
}

function httpPolicy(env: Env, prefix: string, fallback?: HttpPolicyConfig): HttpPolicyConfig {
  return {
    timeoutMs: int(env, `${prefix}TIMEOUT_MS`, fallback?.timeoutMs ?? 5000, 100, 60_000),
    maxRetries: int(env, `${prefix}MAX_RETRIES`, fallback?.maxRetries ?? 2, 0, 5),
    baseDelayMs: int(env, `${prefix}RETRY_BASE_MS`, fallback?.baseDelayMs ?? 200, 0, 10_000),
    maxDelayMs: int(env, `${prefix}RETRY_MAX_MS`, fallback?.maxDelayMs ?? 2000, 0, 30_000),
    maxRetryAfterMs: int(env, `${prefix}MAX_RETRY_AFTER_MS`, fallback?.maxRetryAfterMs ?? 5000, 0, 60_000),
  };
}

export function loadActionConfig(env: Env = process.env): ActionConfig {
  const pf360Http = httpPolicy(env, 'API_');
  return {
    stage: str(env, 'STAGE', 'local'),
    sessionsTable: str(env, 'SESSIONS_TABLE', 'pf360-local-sessions'),
    idempotencyTable: str(env, 'IDEMPOTENCY_TABLE', 'pf360-local-idempotency'),
    auditTable: str(env, 'AUDIT_TABLE', 'pf360-local-audit'),
    sessionTtlSeconds: int(env, 'SESSION_TTL_SECONDS', 1800, 60, 86_400),
    idempotencyTtlSeconds: int(env, 'IDEMPOTENCY_TTL_SECONDS', 3600, 60, 86_400),
    auditRetentionDays: int(env, 'AUDIT_RETENTION_DAYS', 730, 1, 3650),
    useMockApi: bool(env, 'USE_MOCK_API', false),
    pf360BaseUrl: url(env, 'PF360_BASE_URL', 'http://127.0.0.1:4010'),
    weatherBaseUrl: url(env, 'WEATHER_BASE_URL', 'http://127.0.0.1:4011'),
    geocodingBaseUrl: url(env, 'GEOCODING_BASE_URL', env.WEATHER_BASE_URL || 'http://127.0.0.1:4011'),
    enableRealConfirm: bool(env, 'ENABLE_REAL_CONFIRM', false),
    enableRealCancel: bool(env, 'ENABLE_REAL_CANCEL', false),
    pf360Http,
    // Same policy mechanism; the weather timeout can be tighter because dates never wait on it long.
    weatherHttp: httpPolicy(env, 'WEATHER_', pf360Http),
    pf360TimeZone: timeZone(env, 'PF360_TIME_ZONE', 'Asia/Kolkata'),
    defaultTimeZone: timeZone(env, 'DEFAULT_TIME_ZONE', 'America/New_York'),
    maxResponseBytes: int(env, 'MAX_RESPONSE_BYTES', 25_000, 256, 1_000_000),
    weatherCountryCode: str(env, 'WEATHER_COUNTRY_CODE', 'US'),
  };
}

/**
 * Configuration, read once per cold start from the environment and validated. This module is
 * the only code in src/ that reads `process.env`, and the readers below are the only way
 * settings are parsed, so a missing or malformed setting fails loudly at start, not mid-request.
 * What the action groups and the chat Lambda share (stage, tables, session TTL, time zone,
 * DynamoDB client) is read by one function, loadSharedConfig.
 */
import { isValidTimeZone } from '../domain/time.js';

export type Env = Record<string, string | undefined>;

/** The process environment, as Lambda sets it: the default of every loader. */
export function processEnv(): Env {
  return process.env;
}

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

/** The DynamoDB client's endpoint (DynamoDB Local) and timeouts. */
export interface DynamoDbConfig {
  endpoint?: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
}

/** The settings every Lambda of the service reads the same way. */
export interface SharedConfig {
  /** dev, qa, staging, prod, or local; also picks the customer-portal host for project links. */
  stage: string;
  sessionsTable: string;
  /** Sliding session lifetime. */
  sessionTtlSeconds: number;
  /** The customer's time zone when the session has none ("today" for date offers). */
  defaultTimeZone: string;
  dynamodb: DynamoDbConfig;
}

export function loadDynamoDbConfig(env: Env = processEnv()): DynamoDbConfig {
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB?.trim();
  return {
    ...(endpoint ? { endpoint: url(env, 'AWS_ENDPOINT_URL_DYNAMODB') } : {}),
    // DynamoDB answers in milliseconds; DynamoDB Local on a busy laptop or CI box may need more.
    connectTimeoutMs: int(env, 'DYNAMODB_CONNECT_TIMEOUT_MS', 1000, 1, 60_000),
    requestTimeoutMs: int(env, 'DYNAMODB_REQUEST_TIMEOUT_MS', 3000, 1, 60_000),
  };
}

export function loadSharedConfig(env: Env = processEnv()): SharedConfig {
  return {
    stage: str(env, 'STAGE', 'local'),
    sessionsTable: str(env, 'SESSIONS_TABLE', 'pf360-local-sessions'),
    sessionTtlSeconds: int(env, 'SESSION_TTL_SECONDS', 1800, 60, 86_400),
    defaultTimeZone: timeZone(env, 'DEFAULT_TIME_ZONE', 'America/New_York'),
    dynamodb: loadDynamoDbConfig(env),
  };
}

export interface ActionConfig extends SharedConfig {
  idempotencyTable: string;
  auditTable: string;
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
  /** PF360 stamps created_at in this zone (Asia/Kolkata, as PF360's own servers do). */
  pf360TimeZone: string;
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

export function loadActionConfig(env: Env = processEnv()): ActionConfig {
  const pf360Http = httpPolicy(env, 'API_');
  return {
    ...loadSharedConfig(env),
    idempotencyTable: str(env, 'IDEMPOTENCY_TABLE', 'pf360-local-idempotency'),
    auditTable: str(env, 'AUDIT_TABLE', 'pf360-local-audit'),
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
    maxResponseBytes: int(env, 'MAX_RESPONSE_BYTES', 25_000, 256, 1_000_000),
    weatherCountryCode: str(env, 'WEATHER_COUNTRY_CODE', 'US'),
  };
}

import { describe, expect, it } from 'vitest';
import { loadChatConfig } from '../../../src/chat/config.js';
import { type ActionConfig, ConfigError, loadActionConfig, loadSharedConfig } from '../../../src/config/env.js';
import { thrown } from '../../helpers/errors.js';

/** Runs `act` and returns what it threw, failing the test if it did not throw. */
/** The settings this suite pins down; the config may carry more. */
const defaults = {
  stage: 'local',
  sessionsTable: 'pf360-local-sessions',
  sessionTtlSeconds: 1800,
  useMockApi: false,
  pf360BaseUrl: 'http://127.0.0.1:4010',
  weatherBaseUrl: 'http://127.0.0.1:4011',
  geocodingBaseUrl: 'http://127.0.0.1:4011',
  enableRealConfirm: false,
  enableRealCancel: false,
  pf360Http: { timeoutMs: 5000, maxRetries: 2, baseDelayMs: 200, maxDelayMs: 2000, maxRetryAfterMs: 5000 },
  weatherHttp: { timeoutMs: 5000, maxRetries: 2, baseDelayMs: 200, maxDelayMs: 2000, maxRetryAfterMs: 5000 },
  pf360TimeZone: 'Asia/Kolkata',
  defaultTimeZone: 'America/New_York',
  maxResponseBytes: 25_000,
} satisfies Partial<ActionConfig>;

describe('loadActionConfig', () => {
  it('uses the defaults for an empty environment', () => {
    // Act
    const config = loadActionConfig({});

    // Assess
    expect(config).toMatchObject(defaults);
  });

  it('treats blank values as unset', () => {
    // Act
    const config = loadActionConfig({ STAGE: '  ', USE_MOCK_API: '', SESSION_TTL_SECONDS: ' ', PF360_BASE_URL: '' });

    // Assess
    expect(config).toMatchObject(defaults);
  });

  it('reads every setting it is given', () => {
    // Prepare
    const env = {
      STAGE: 'dev',
      SESSIONS_TABLE: 'pf360-dev-sessions',
      SESSION_TTL_SECONDS: '600',
      USE_MOCK_API: 'true',
      PF360_BASE_URL: 'https://api.pf360.example.com/v1/',
      WEATHER_BASE_URL: 'https://weather.example.com',
      GEOCODING_BASE_URL: 'https://geo.example.com',
      ENABLE_REAL_CONFIRM: 'true',
      ENABLE_REAL_CANCEL: 'false',
      API_TIMEOUT_MS: '3000',
      API_MAX_RETRIES: '1',
      API_RETRY_BASE_MS: '50',
      API_RETRY_MAX_MS: '500',
      API_MAX_RETRY_AFTER_MS: '1000',
      WEATHER_TIMEOUT_MS: '1500',
      PF360_TIME_ZONE: 'UTC',
      DEFAULT_TIME_ZONE: 'America/Chicago',
      MAX_RESPONSE_BYTES: '20000',
    };

    // Act
    const config = loadActionConfig(env);

    // Assess
    expect(config).toMatchObject({
      stage: 'dev',
      sessionsTable: 'pf360-dev-sessions',
      sessionTtlSeconds: 600,
      useMockApi: true,
      pf360BaseUrl: 'https://api.pf360.example.com/v1',
      weatherBaseUrl: 'https://weather.example.com',
      geocodingBaseUrl: 'https://geo.example.com',
      enableRealConfirm: true,
      enableRealCancel: false,
      pf360Http: { timeoutMs: 3000, maxRetries: 1, baseDelayMs: 50, maxDelayMs: 500, maxRetryAfterMs: 1000 },
      weatherHttp: { timeoutMs: 1500, maxRetries: 1, baseDelayMs: 50, maxDelayMs: 500, maxRetryAfterMs: 1000 },
      pf360TimeZone: 'UTC',
      defaultTimeZone: 'America/Chicago',
      maxResponseBytes: 20_000,
    });
  });

  it('geocodes against the weather base URL when no geocoding URL is set', () => {
    // Act
    const config = loadActionConfig({ WEATHER_BASE_URL: 'https://weather.example.com/' });

    // Assess
    expect(config.geocodingBaseUrl).toBe('https://weather.example.com');
  });

  it('inherits the PF360 policy for weather calls unless a WEATHER_ setting overrides it', () => {
    // Act
    const config = loadActionConfig({ API_MAX_RETRIES: '4', WEATHER_MAX_RETRIES: '0' });

    // Assess
    expect(config.pf360Http.maxRetries).toBe(4);
    expect(config.weatherHttp.maxRetries).toBe(0);
  });

  describe('booleans', () => {
    it.each([
      ['true', true],
      ['false', false],
      ['TRUE', true],
      [' False ', false],
    ])('reads %j as %s', (value, expected) => {
      // Act
      const config = loadActionConfig({ ENABLE_REAL_CONFIRM: value });

      // Assess
      expect(config.enableRealConfirm).toBe(expected);
    });

    it.each(['yes', '1', '0', 'on', 'truee', 'no'])('rejects %j naming the variable', (value) => {
      // Act
      const error = thrown(() => loadActionConfig({ USE_MOCK_API: value }));

      // Assess
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe(`USE_MOCK_API must be "true" or "false", got "${value}"`);
    });

    it.each(['ENABLE_REAL_CONFIRM', 'ENABLE_REAL_CANCEL'])('checks %s too', (key) => {
      // Act
      const error = thrown(() => loadActionConfig({ [key]: 'enabled' }));

      // Assess
      expect((error as ConfigError).message).toContain(key);
    });
  });

  describe('integers', () => {
    it.each([
      ['SESSION_TTL_SECONDS', '60', 'sessionTtlSeconds'],
      ['SESSION_TTL_SECONDS', '86400', 'sessionTtlSeconds'],
      ['MAX_RESPONSE_BYTES', '256', 'maxResponseBytes'],
      ['MAX_RESPONSE_BYTES', '1000000', 'maxResponseBytes'],
    ] as const)('accepts %s=%s at the edge of its range', (key, value, field) => {
      // Act
      const config = loadActionConfig({ [key]: value });

      // Assess
      expect(config[field]).toBe(Number(value));
    });

    it.each([
      ['SESSION_TTL_SECONDS', '59', 'SESSION_TTL_SECONDS must be an integer from 60 to 86400, got "59"'],
      ['SESSION_TTL_SECONDS', '86401', 'SESSION_TTL_SECONDS must be an integer from 60 to 86400, got "86401"'],
      ['SESSION_TTL_SECONDS', '1800.5', 'SESSION_TTL_SECONDS must be an integer from 60 to 86400, got "1800.5"'],
      [
        'SESSION_TTL_SECONDS',
        'half an hour',
        'SESSION_TTL_SECONDS must be an integer from 60 to 86400, got "half an hour"',
      ],
      ['MAX_RESPONSE_BYTES', '255', 'MAX_RESPONSE_BYTES must be an integer from 256 to 1000000, got "255"'],
      ['API_TIMEOUT_MS', '99', 'API_TIMEOUT_MS must be an integer from 100 to 60000, got "99"'],
      ['API_MAX_RETRIES', '6', 'API_MAX_RETRIES must be an integer from 0 to 5, got "6"'],
      ['API_MAX_RETRIES', '-1', 'API_MAX_RETRIES must be an integer from 0 to 5, got "-1"'],
      ['API_RETRY_BASE_MS', '10001', 'API_RETRY_BASE_MS must be an integer from 0 to 10000, got "10001"'],
      ['API_RETRY_MAX_MS', '30001', 'API_RETRY_MAX_MS must be an integer from 0 to 30000, got "30001"'],
      ['API_MAX_RETRY_AFTER_MS', '60001', 'API_MAX_RETRY_AFTER_MS must be an integer from 0 to 60000, got "60001"'],
      ['WEATHER_TIMEOUT_MS', '60001', 'WEATHER_TIMEOUT_MS must be an integer from 100 to 60000, got "60001"'],
    ])('rejects %s=%s with a message naming it', (key, value, message) => {
      // Act
      const error = thrown(() => loadActionConfig({ [key]: value }));

      // Assess
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe(message);
      expect((error as ConfigError).name).toBe('ConfigError');
    });
  });

  describe('URLs', () => {
    it('removes one trailing slash', () => {
      // Act
      const config = loadActionConfig({ PF360_BASE_URL: 'https://api.example.com/' });

      // Assess
      expect(config.pf360BaseUrl).toBe('https://api.example.com');
    });

    it.each([
      ['PF360_BASE_URL', 'not a url'],
      ['WEATHER_BASE_URL', '/relative/path'],
      ['GEOCODING_BASE_URL', '127.0.0.1:4011'],
    ])('rejects %s=%j with a message naming it', (key, value) => {
      // Act
      const error = thrown(() => loadActionConfig({ [key]: value }));

      // Assess
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe(
        `${key} must be an absolute http(s) URL such as https://api.example.com, got "${value}"`,
      );
    });

    it.each([
      ['a host without a scheme', 'localhost:4010'],
      ['a domain with a port but no scheme', 'api.example.com:443'],
    ])('rejects %s, which is not an http(s) URL, as the PF360 base URL', (_label, value) => {
      // Act
      const error = thrown(() => loadActionConfig({ PF360_BASE_URL: value }));

      // Assess
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain('PF360_BASE_URL');
    });
  });

  describe('time zones', () => {
    it.each([
      ['PF360_TIME_ZONE', 'Mars/Olympus_Mons'],
      ['DEFAULT_TIME_ZONE', 'Eastern'],
      ['DEFAULT_TIME_ZONE', 'GMT+25'],
    ])('rejects %s=%j with a message naming it', (key, value) => {
      // Act
      const error = thrown(() => loadActionConfig({ [key]: value }));

      // Assess
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe(
        `${key} must be an IANA time zone such as America/New_York, got "${value}"`,
      );
    });

    it('trims a time zone', () => {
      // Act
      const config = loadActionConfig({ DEFAULT_TIME_ZONE: ' Europe/London ' });

      // Assess
      expect(config.defaultTimeZone).toBe('Europe/London');
    });
  });
});

describe('loadSharedConfig', () => {
  it('gives the action groups and the chat the same stage, table, session TTL, zone and DynamoDB settings', () => {
    // Prepare
    const env = {
      STAGE: 'qa',
      SESSIONS_TABLE: 'pf360-qa-sessions',
      SESSION_TTL_SECONDS: '900',
      DEFAULT_TIME_ZONE: 'America/Chicago',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      JWT_JWKS_URL: 'https://portal.example.com/jwks.json',
      JWT_ISSUER: 'https://portal.example.com',
      JWT_AUDIENCE: 'pf360',
    };
    const shared = loadSharedConfig(env);

    // Act
    const pick = ({ stage, sessionsTable, sessionTtlSeconds, defaultTimeZone, dynamodb }: typeof shared) => ({
      stage,
      sessionsTable,
      sessionTtlSeconds,
      defaultTimeZone,
      dynamodb,
    });

    // Assess
    expect(shared).toEqual({
      stage: 'qa',
      sessionsTable: 'pf360-qa-sessions',
      sessionTtlSeconds: 900,
      defaultTimeZone: 'America/Chicago',
      dynamodb: { endpoint: 'http://127.0.0.1:8000', connectTimeoutMs: 1000, requestTimeoutMs: 3000 },
    });
    expect(pick(loadActionConfig(env))).toEqual(shared);
    expect(pick(loadChatConfig(env))).toEqual(shared);
  });
});

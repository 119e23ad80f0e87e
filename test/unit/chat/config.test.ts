import { describe, expect, it } from 'vitest';
import { loadChatConfig } from '../../../src/chat/config.js';
import { createAgentClient } from '../../../src/chat/wiring.js';
import { loadDynamoDbConfig } from '../../../src/config/env.js';

const secret = 'a-local-secret-that-is-at-least-32-bytes-long';
const local = { JWT_HS256_SECRET: secret, JWT_ISSUER: 'https://portal.local', JWT_AUDIENCE: 'pf360-chat' };
const deployed = {
  STAGE: 'qa',
  JWT_JWKS_URL: 'https://auth.qa.projectsforce.com/.well-known/jwks.json',
  JWT_ISSUER: 'https://auth.qa.projectsforce.com',
  JWT_AUDIENCE: 'pf360-chat',
};

describe('loadChatConfig', () => {
  it('reads a local configuration with its defaults', () => {
    expect(loadChatConfig(local)).toEqual({
      stage: 'local',
      sessionsTable: 'pf360-local-sessions',
      sessionTtlSeconds: 1800,
      agentTimeoutMs: 27_000,
      jwt: {
        hs256Secret: secret,
        issuer: 'https://portal.local',
        audience: 'pf360-chat',
        clockToleranceSeconds: 30,
        jwksCooldownMs: 5000,
      },
      rateLimitPerMinute: 20,
      enableTrace: true,
      defaultTimeZone: 'America/New_York',
      dynamodb: { connectTimeoutMs: 1000, requestTimeoutMs: 3000 },
    });
  });

  it('configures the agent only when id, alias and region are all set', () => {
    const agent = { AGENT_ID: 'AGENT1', AGENT_ALIAS_ID: 'ALIAS1', AWS_REGION: 'us-east-1' };
    expect(loadChatConfig({ ...local, ...agent }).agent).toEqual({
      kind: 'classic',
      agentId: 'AGENT1',
      agentAliasId: 'ALIAS1',
      region: 'us-east-1',
    });
    expect(loadChatConfig({ ...local, ...agent, AGENT_ALIAS_ID: '' }).agent).toBeUndefined();
  });

  it('configures the agent on AgentCore Runtime: the endpoint on AWS, the runtime server locally', () => {
    // Act
    const deployedRuntime = loadChatConfig({
      ...deployed,
      AGENT_PLATFORM: 'agentcore',
      AGENT_RUNTIME_ARN: 'arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/pf360_agent_qa-AbCdEf1234',
      AGENT_RUNTIME_QUALIFIER: 'live',
      AWS_REGION: 'us-east-1',
    }).agent;
    const localRuntime = loadChatConfig({ ...local, AGENT_RUNTIME_URL: 'http://127.0.0.1:41234' }).agent;

    // Assess
    expect(deployedRuntime).toEqual({
      kind: 'agentcore',
      runtime: {
        arn: 'arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/pf360_agent_qa-AbCdEf1234',
        qualifier: 'live',
        region: 'us-east-1',
      },
    });
    expect(localRuntime).toEqual({ kind: 'agentcore', runtime: { url: 'http://127.0.0.1:41234' } });
  });

  it('configures the code-defined agent from AGENT_PROVIDER, read once', () => {
    // Act
    const openai = loadChatConfig({
      ...local,
      AGENT_PROVIDER: 'openai',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1/',
      AGENT_MODEL_ID: 'qwen3:8b',
    }).agent;
    const bedrock = loadChatConfig({ ...local, AGENT_PROVIDER: 'bedrock', AWS_REGION: 'us-west-2' }).agent;

    // Assess
    expect(openai).toMatchObject({
      kind: 'code',
      agent: {
        model: { provider: 'openai', modelId: 'qwen3:8b', baseUrl: 'http://127.0.0.1:11434/v1' },
        timeoutMs: 27_000,
      },
    });
    expect(bedrock).toMatchObject({
      kind: 'code',
      agent: {
        model: { provider: 'bedrock', modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', region: 'us-west-2' },
      },
    });
  });

  it.each([
    [{ AGENT_PROVIDER: 'openai', AGENT_MODEL_ID: 'm' }, 'OPENAI_BASE_URL must be set'],
    [{ AGENT_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }, 'AGENT_MODEL_ID must be set'],
    [{ AGENT_PROVIDER: 'bedrock' }, 'AWS_REGION must be set'],
    [{ AGENT_PROVIDER: 'gemini' }, 'AGENT_PROVIDER must be "bedrock" or "openai", got "gemini"'],
    [
      { AGENT_PROVIDER: 'bedrock', AWS_REGION: 'us-east-1', AGENT_ID: 'A', AGENT_ALIAS_ID: 'B' },
      'Set one agent, not several: AGENT_PROVIDER (the code-defined agent in this process); AGENT_ID and AGENT_ALIAS_ID (Bedrock Agents)',
    ],
    [
      { AGENT_ID: 'A', AGENT_ALIAS_ID: 'B', AGENT_RUNTIME_URL: 'http://127.0.0.1:8080' },
      'Set one agent, not several: AGENT_ID and AGENT_ALIAS_ID (Bedrock Agents); AGENT_RUNTIME_ARN or AGENT_RUNTIME_URL (AgentCore Runtime)',
    ],
    [{ AGENT_PLATFORM: 'harness' }, 'AGENT_PLATFORM must be "classic" or "agentcore", got "harness"'],
    [{ AGENT_PLATFORM: 'agentcore', AWS_REGION: 'us-east-1' }, 'AGENT_RUNTIME_ARN must be set'],
    [
      {
        AGENT_PLATFORM: 'agentcore',
        AWS_REGION: 'us-east-1',
        AGENT_RUNTIME_ARN: 'arn:aws:bedrock-agentcore:us-east-1:1:runtime/x',
      },
      'AGENT_RUNTIME_QUALIFIER must be set',
    ],
    [{ AGENT_PLATFORM: 'classic', AWS_REGION: 'us-east-1' }, 'AGENT_ID must be set'],
    [
      { AGENT_PLATFORM: 'classic', AGENT_RUNTIME_URL: 'http://127.0.0.1:8080' },
      'AGENT_PLATFORM is classic but AgentCore Runtime settings are set',
    ],
    [
      { AGENT_PLATFORM: 'agentcore', AGENT_PROVIDER: 'bedrock', AWS_REGION: 'us-east-1' },
      'AGENT_PLATFORM names a deployed agent; AGENT_PROVIDER runs one in this process',
    ],
    [
      {
        AGENT_RUNTIME_URL: 'http://127.0.0.1:8080',
        AGENT_RUNTIME_ARN: 'arn:aws:bedrock-agentcore:us-east-1:1:runtime/x',
      },
      'Set AGENT_RUNTIME_ARN or AGENT_RUNTIME_URL, not both',
    ],
  ])('refuses an incomplete or contradictory agent setting %j', (settings, message) => {
    expect(() => loadChatConfig({ ...local, ...settings })).toThrow(message);
  });

  it('traces outside prod by default, and as told otherwise', () => {
    expect(loadChatConfig(deployed).enableTrace).toBe(true);
    expect(loadChatConfig({ ...deployed, STAGE: 'prod' }).enableTrace).toBe(false);
    expect(loadChatConfig({ ...deployed, STAGE: 'prod', ENABLE_TRACE: 'true' }).enableTrace).toBe(true);
  });

  it.each([
    [{ ...local, JWT_JWKS_URL: deployed.JWT_JWKS_URL }, 'Set JWT_JWKS_URL or JWT_HS256_SECRET, not both'],
    [{ JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' }, 'JWT_JWKS_URL must be set (or JWT_HS256_SECRET for local use)'],
    [{ ...local, STAGE: 'prod' }, 'JWT_HS256_SECRET is for local use only; stage prod must use JWT_JWKS_URL'],
    [{ ...local, JWT_HS256_SECRET: 'short' }, 'JWT_HS256_SECRET must be at least 32 bytes'],
    [
      { ...deployed, JWT_JWKS_URL: 'http://auth.qa.projectsforce.com/jwks.json' },
      'JWT_JWKS_URL must be an https URL in stage qa, got "http://auth.qa.projectsforce.com/jwks.json"',
    ],
    [{ ...deployed, JWT_JWKS_URL: 'auth.example/jwks' }, /JWT_JWKS_URL must be an absolute http\(s\) URL/],
    [{ ...local, JWT_ISSUER: ' ' }, 'JWT_ISSUER must be set'],
    [{ ...local, JWT_AUDIENCE: '' }, 'JWT_AUDIENCE must be set'],
    [{ ...local, ENABLE_TRACE: 'yes' }, 'ENABLE_TRACE must be "true" or "false", got "yes"'],
    [{ ...local, DEFAULT_TIME_ZONE: 'Mars/Olympus' }, /DEFAULT_TIME_ZONE must be an IANA time zone/],
    [{ ...local, RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE must be an integer from 1 to 10000, got "0"'],
  ])('refuses a bad setting at start: %o', (env, message) => {
    expect(() => loadChatConfig(env)).toThrow(message);
  });

  it('allows a plain-http key set for the local stack only', () => {
    const jwksUrl = 'http://127.0.0.1:9999/jwks.json';
    const { JWT_HS256_SECRET: _, ...withoutSecret } = local;
    expect(loadChatConfig({ ...withoutSecret, JWT_JWKS_URL: jwksUrl }).jwt.jwksUrl).toBe(jwksUrl);
  });
});

describe('loadDynamoDbConfig', () => {
  it('refuses a malformed timeout instead of silently using the default', () => {
    expect(() => loadDynamoDbConfig({ DYNAMODB_REQUEST_TIMEOUT_MS: 'soon' })).toThrow(
      'DYNAMODB_REQUEST_TIMEOUT_MS must be an integer from 1 to 60000, got "soon"',
    );
  });
});

describe('createAgentClient', () => {
  it('makes one attempt: a retried InvokeAgent could run a turn twice', async () => {
    expect(await createAgentClient('us-east-1').config.maxAttempts()).toBe(1);
  });
});

/** Chat backend configuration, read once per cold start and validated (see src/config/env.ts). */

import { type CodeAgentConfig, loadCodeAgentConfig } from '../agent/config.js';
import {
  bool,
  ConfigError,
  type Env,
  int,
  loadSharedConfig,
  processEnv,
  type SharedConfig,
  str,
  url,
} from '../config/env.js';

const deployedStages = new Set(['dev', 'qa', 'staging', 'prod']);

export interface JwtConfig {
  /** Deployed stages: the portal's JWKS (keys cached, refetched on an unknown kid). */
  jwksUrl?: string;
  /** Local use only: a shared HS256 secret. Refused in deployed stages. */
  hs256Secret?: string;
  issuer: string;
  audience: string;
  clockToleranceSeconds: number;
  /**
   * Minimum time between two key-set fetches: a token with an unknown kid (a rotation) triggers a
   * refetch once this has passed, while a flood of random kids cannot hammer the portal.
   */
  jwksCooldownMs?: number;
}

/**
 * Which agent answers: the deployed Bedrock Agents supervisor (classic), the code-defined agent
 * on AgentCore Runtime (agentcore: its endpoint on AWS, or the runtime server's URL on the local
 * stack), or the code-defined agent in this process (code: tests and the bench).
 */
export type AgentPlatformConfig =
  | { kind: 'classic'; agentId: string; agentAliasId: string; region: string }
  | {
      kind: 'agentcore';
      runtime: { arn: string; qualifier: string; region: string } | { url: string };
    }
  | { kind: 'code'; agent: CodeAgentConfig };

const platforms = ['classic', 'agentcore'] as const;

export interface ChatConfig extends SharedConfig {
  /** Undefined when no agent is configured (the API then answers 503). */
  agent?: AgentPlatformConfig;
  agentTimeoutMs: number;
  jwt: JwtConfig;
  rateLimitPerMinute: number;
  enableTrace: boolean;
}

function agentPlatform(env: Env): AgentPlatformConfig | undefined {
  const named = env.AGENT_PLATFORM?.trim() || undefined;
  if (named !== undefined && !(platforms as readonly string[]).includes(named)) {
    throw new ConfigError(`AGENT_PLATFORM must be "classic" or "agentcore", got "${named}"`);
  }
  const agentId = env.AGENT_ID?.trim();
  const agentAliasId = env.AGENT_ALIAS_ID?.trim();
  const runtimeArn = env.AGENT_RUNTIME_ARN?.trim();
  const runtimeUrl = env.AGENT_RUNTIME_URL?.trim();
  const region = env.AWS_REGION?.trim();
  const codeAgent = loadCodeAgentConfig(env);
  const chosen = [
    codeAgent ? 'AGENT_PROVIDER (the code-defined agent in this process)' : '',
    agentId || agentAliasId ? 'AGENT_ID and AGENT_ALIAS_ID (Bedrock Agents)' : '',
    runtimeArn || runtimeUrl ? 'AGENT_RUNTIME_ARN or AGENT_RUNTIME_URL (AgentCore Runtime)' : '',
  ].filter(Boolean);
  if (chosen.length > 1) throw new ConfigError(`Set one agent, not several: ${chosen.join('; ')}`);
  if (runtimeArn && runtimeUrl) throw new ConfigError('Set AGENT_RUNTIME_ARN or AGENT_RUNTIME_URL, not both');

  if (codeAgent) {
    if (named) throw new ConfigError('AGENT_PLATFORM names a deployed agent; AGENT_PROVIDER runs one in this process');
    return { kind: 'code', agent: codeAgent };
  }
  if (named === 'agentcore' || runtimeArn || runtimeUrl) {
    if (named === 'classic') throw new ConfigError('AGENT_PLATFORM is classic but AgentCore Runtime settings are set');
    if (runtimeUrl) return { kind: 'agentcore', runtime: { url: url(env, 'AGENT_RUNTIME_URL') } };
    return {
      kind: 'agentcore',
      runtime: {
        arn: str(env, 'AGENT_RUNTIME_ARN'),
        qualifier: str(env, 'AGENT_RUNTIME_QUALIFIER'),
        region: str(env, 'AWS_REGION'),
      },
    };
  }
  if (named === 'classic') {
    return {
      kind: 'classic',
      agentId: str(env, 'AGENT_ID'),
      agentAliasId: str(env, 'AGENT_ALIAS_ID'),
      region: str(env, 'AWS_REGION'),
    };
  }
  // Unnamed: Classic when its ids are complete, as before platforms were named.
  return agentId && agentAliasId && region ? { kind: 'classic', agentId, agentAliasId, region } : undefined;
}

/**
 * How the portal's JWTs are verified: the chat API, the AgentCore Gateway interceptor and the
 * Gateway target read the same settings (JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, …) this way.
 */
export function loadJwtConfig(env: Env = processEnv()): JwtConfig {
  const stage = str(env, 'STAGE', 'local');
  const deployed = deployedStages.has(stage);
  const jwksUrl = env.JWT_JWKS_URL?.trim() ? url(env, 'JWT_JWKS_URL') : undefined;
  const hs256Secret = env.JWT_HS256_SECRET?.trim() || undefined;
  if (jwksUrl && hs256Secret) throw new ConfigError('Set JWT_JWKS_URL or JWT_HS256_SECRET, not both');
  if (!jwksUrl && !hs256Secret) throw new ConfigError('JWT_JWKS_URL must be set (or JWT_HS256_SECRET for local use)');
  if (hs256Secret && deployed) {
    throw new ConfigError(`JWT_HS256_SECRET is for local use only; stage ${stage} must use JWT_JWKS_URL`);
  }
  if (hs256Secret && Buffer.byteLength(hs256Secret) < 32) {
    throw new ConfigError('JWT_HS256_SECRET must be at least 32 bytes');
  }
  // Keys fetched over plain http could be swapped on the way: deployed stages insist on https.
  if (jwksUrl && deployed && !jwksUrl.startsWith('https:')) {
    throw new ConfigError(`JWT_JWKS_URL must be an https URL in stage ${stage}, got "${jwksUrl}"`);
  }
  return {
    ...(jwksUrl ? { jwksUrl } : {}),
    ...(hs256Secret ? { hs256Secret } : {}),
    issuer: str(env, 'JWT_ISSUER'),
    audience: str(env, 'JWT_AUDIENCE'),
    clockToleranceSeconds: int(env, 'JWT_CLOCK_TOLERANCE_SECONDS', 30, 0, 300),
    jwksCooldownMs: int(env, 'JWT_JWKS_COOLDOWN_MS', 5000, 0, 600_000),
  };
}

export function loadChatConfig(env: Env = processEnv()): ChatConfig {
  const shared = loadSharedConfig(env);
  const { stage } = shared;
  const jwt = loadJwtConfig(env);
  const agent = agentPlatform(env);
  return {
    ...shared,
    ...(agent ? { agent } : {}),
    agentTimeoutMs: int(env, 'AGENT_TIMEOUT_MS', 27_000, 1000, 900_000),
    jwt,
    rateLimitPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 20, 1, 10_000),
    enableTrace: bool(env, 'ENABLE_TRACE', stage !== 'prod'),
  };
}

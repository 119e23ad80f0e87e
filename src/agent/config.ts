/**
 * Which model the code-defined agent talks to, read once at start (AGENT_PROVIDER):
 * - `bedrock`: Amazon Bedrock's Converse API; AGENT_MODEL_ID (default the US cross-region
 *   inference profile of Claude Sonnet 4.5 that serverless.yml uses), AWS_REGION, credentials from
 *   the usual chain;
 * - `openai`: any server that speaks the OpenAI chat-completions API with tool calls, e.g. a local
 *   LLM server: OPENAI_BASE_URL, AGENT_MODEL_ID, optional OPENAI_API_KEY.
 * Unset: no code-defined agent (the chat API then needs AGENT_ID/AGENT_ALIAS_ID, or answers 503).
 */
import { ConfigError, type Env, int, processEnv, str, url } from '../config/env.js';

/** The model serverless.yml gives the Bedrock agents: Claude Sonnet 4.5, US cross-region inference profile. */
export const defaultBedrockModelId = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

export type ModelConfig =
  | { provider: 'bedrock'; modelId: string; region: string; guardrail?: { id: string; version: string } }
  | { provider: 'openai'; modelId: string; baseUrl: string; apiKey?: string };

export interface CodeAgentConfig {
  model: ModelConfig;
  /** The whole turn's deadline, model calls and tools together (fits API Gateway's 30 s). */
  timeoutMs: number;
  maxTokens: number;
  /** 0: the same conversation should take the same path (the evals rely on it). */
  temperature: number;
}

export function loadCodeAgentConfig(env: Env = processEnv()): CodeAgentConfig | undefined {
  const provider = env.AGENT_PROVIDER?.trim();
  if (!provider) return undefined;
  const common = {
    timeoutMs: int(env, 'AGENT_TIMEOUT_MS', 27_000, 1000, 900_000),
    maxTokens: int(env, 'AGENT_MAX_TOKENS', 2048, 64, 64_000),
    temperature: 0,
  };
  if (provider === 'bedrock') {
    const guardrailId = env.AGENT_GUARDRAIL_ID?.trim();
    return {
      ...common,
      model: {
        provider,
        modelId: str(env, 'AGENT_MODEL_ID', defaultBedrockModelId),
        region: str(env, 'AWS_REGION'),
        ...(guardrailId ? { guardrail: { id: guardrailId, version: str(env, 'AGENT_GUARDRAIL_VERSION') } } : {}),
      },
    };
  }
  if (provider === 'openai') {
    const apiKey = env.OPENAI_API_KEY?.trim();
    return {
      ...common,
      model: {
        provider,
        modelId: str(env, 'AGENT_MODEL_ID'),
        baseUrl: url(env, 'OPENAI_BASE_URL'),
        ...(apiKey ? { apiKey } : {}),
      },
    };
  }
  throw new ConfigError(`AGENT_PROVIDER must be "bedrock" or "openai", got "${provider}"`);
}

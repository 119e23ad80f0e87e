/** The configured model: Amazon Bedrock (Converse) or an OpenAI-compatible chat-completions server. */
import { BedrockModel, type Model } from '@strands-agents/sdk';
import type { CodeAgentConfig } from './config.js';
import { createOpenAiModel } from './openai-model.js';

export function createModel(config: CodeAgentConfig): Model {
  const { model, timeoutMs, maxTokens, temperature } = config;
  if (model.provider === 'openai') {
    return createOpenAiModel({
      baseUrl: model.baseUrl,
      modelId: model.modelId,
      ...(model.apiKey ? { apiKey: model.apiKey } : {}),
      timeoutMs,
      // One attempt: a turn must fit its deadline, and the customer is told to try again.
      maxRetries: 0,
      maxTokens,
      temperature,
    });
  }
  return new BedrockModel({
    modelId: model.modelId,
    region: model.region,
    maxTokens,
    temperature,
    requestTimeout: timeoutMs,
    clientConfig: { maxAttempts: 1 },
    ...(model.guardrail
      ? {
          guardrailConfig: {
            guardrailIdentifier: model.guardrail.id,
            guardrailVersion: model.guardrail.version,
            trace: 'disabled',
          },
        }
      : {}),
  });
}

/**
 * Lambda entry point of the AgentCore Gateway's REQUEST interceptor (serverless.yml:
 * agentcoreInterceptor; env JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, STAGE). The logic is in
 * interceptor.ts; this only wires the chat API's token verifier, read once per cold start.
 */
import { createTokenVerifier } from '../chat/auth.js';
import { loadJwtConfig } from '../chat/config.js';
import { createLogger } from '../observability/logger.js';
import { createRequestInterceptor } from './interceptor.js';

export const handler = createRequestInterceptor({
  verifyToken: createTokenVerifier(loadJwtConfig()),
  logger: createLogger('pf360-agentcore-interceptor'),
});

/**
 * The chat HTTP API (openapi/chat.yaml) as an API Gateway HTTP API (payload 2.0) handler:
 * POST /chat and POST /chat/confirm. Order per request: agent configured (503) → bearer token
 * (401) → body against the generated validators and the PF360 token header (400 naming the
 * field) → per-customer rate limit
 * (429 with Retry-After) → the chat turn. Every answer is JSON; nothing throws out.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as validators from '../../generated/validators/chat.cjs';
import { AppError, toErrorResponse, validationError } from '../domain/errors.js';
import { isPf360Token, pf360TokenRule } from '../domain/pf360-token.js';
import { assertValid, type Validator } from '../edge/validation.js';
import type { Logger } from '../observability/logger.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { TokenVerifier } from './auth.js';
import type { ChatRequest, ChatService, ConfirmRequest } from './service.js';

export interface ChatHttpDeps {
  /** Undefined when no agent is configured: every request then gets 503. */
  service?: ChatService;
  verifyToken: TokenVerifier;
  rateLimiter: RateLimiter;
  clock: () => Date;
  logger: Logger;
}

export type ChatHttpHandler = (
  event: APIGatewayProxyEventV2,
  context?: { awsRequestId?: string },
) => Promise<APIGatewayProxyStructuredResultV2>;

export const notConfiguredMessage =
  'No agent is configured: set AGENT_ID and AGENT_ALIAS_ID (the supervisor agent and alias), AWS_REGION, and AWS credentials for the chat backend.';

function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function parseBody<T>(event: APIGatewayProxyEventV2, validate: Validator): T {
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw validationError('The request body must be JSON.', 'body');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw validationError('The request body must be a JSON object.', 'body');
  }
  assertValid<T>(validate, body);
  return body;
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const value = event.headers?.[name] ?? event.headers?.[name.toLowerCase()];
  return value === undefined || value === '' ? undefined : value;
}

export function createChatHttpHandler(deps: ChatHttpDeps): ChatHttpHandler {
  const { logger } = deps;
  return async (event, context) => {
    const started = Date.now();
    const method = event.requestContext?.http?.method ?? '';
    const path = event.rawPath ?? '';
    logger.resetKeys();
    logger.appendKeys({
      correlation_id: context?.awsRequestId ?? event.requestContext?.requestId ?? randomUUID(),
      route: `${method} ${path}`,
    });
    const done = (result: APIGatewayProxyStructuredResultV2, errorType?: string) => {
      const status = result.statusCode ?? 200;
      logger[status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info']('chat request finished', {
        status,
        ms: Date.now() - started,
        ...(errorType ? { error_type: errorType } : {}),
      });
      return result;
    };
    try {
      const isChat = path === '/chat';
      const isConfirm = path === '/chat/confirm';
      if (!isChat && !isConfirm) throw new AppError('not_found', `No route ${path}.`);
      if (method !== 'POST') throw new AppError('method_not_allowed');
      if (!deps.service) throw new AppError('agent_not_configured', notConfiguredMessage);

      const who = await deps.verifyToken(header(event, 'authorization'));
      const request = isChat
        ? parseBody<ChatRequest>(event, validators.ChatRequest)
        : parseBody<ConfirmRequest>(event, validators.ConfirmRequest);
      const pf360Token = header(event, 'x-pf360-token');
      if (pf360Token !== undefined && !isPf360Token(pf360Token)) {
        throw validationError(`X-PF360-Token must be ${pf360TokenRule}.`, 'X-PF360-Token');
      }
      const limit = await deps.rateLimiter.hit(`${who.clientId}#${who.customerId}`, deps.clock());
      if (!limit.allowed) {
        throw new AppError('rate_limited', undefined, { retryAfterSeconds: limit.retryAfterSeconds });
      }

      const reply = isChat
        ? await deps.service.sendMessage(who, pf360Token, request as ChatRequest)
        : await deps.service.answerConfirmation(who, pf360Token, request as ConfirmRequest);
      return done(json(200, reply));
    } catch (error) {
      const { status, body, retryAfterSeconds } = toErrorResponse(error, logger);
      const headers: Record<string, string> =
        retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
      return done(json(status, body, headers), body.error_type);
    }
  };
}

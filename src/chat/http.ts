/**
 * The chat HTTP API (openapi/chat.yaml) as an API Gateway HTTP API (payload 2.0) handler:
 * POST /chat and POST /chat/confirm. Order per request: agent configured (503) → bearer token
 * (401) → body against the generated validators (400 naming the field) → per-customer rate limit
 * (429 with Retry-After) → the chat turn. Every answer is JSON; nothing throws out.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorObject } from 'ajv';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as validators from '../../generated/validators/chat.cjs';
import { AppError, ValidationError } from '../domain/errors.js';
import type { Logger } from '../observability/logger.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { TokenVerifier } from './auth.js';
import type { ChatRequest, ChatService, ConfirmRequest } from './service.js';
import { AgentThrottledError } from './stream.js';

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

export class RateLimitedError extends AppError {
  override name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'rate_limited', 'Too many messages in a short time; please wait a moment and try again.');
  }
}

export const notConfiguredMessage =
  'No agent is configured: set AGENT_ID and AGENT_ALIAS_ID (the supervisor agent and alias), AWS_REGION, and AWS credentials for the chat backend.';

function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function fieldMessage(error: ErrorObject): { field: string; message: string } {
  const params = error.params as Record<string, unknown>;
  const field =
    error.keyword === 'required'
      ? String(params.missingProperty)
      : error.keyword === 'additionalProperties'
        ? String(params.additionalProperty)
        : error.instancePath.replace(/^\//, '') || 'body';
  switch (error.keyword) {
    case 'required':
      return { field, message: `${field} is required.` };
    case 'additionalProperties':
      return { field, message: `${field} is not a field of this request.` };
    case 'type':
      return { field, message: `${field} must be a ${String(params.type)}.` };
    case 'minLength':
      return {
        field,
        message: `${field} must not be empty${Number(params.limit) > 1 ? ` (at least ${String(params.limit)} characters)` : ''}.`,
      };
    case 'maxLength':
      return { field, message: `${field} is too long: at most ${String(params.limit)} characters.` };
    case 'enum':
      return { field, message: `${field} must be one of ${(params.allowedValues as string[]).join(', ')}.` };
    case 'pattern':
      return { field, message: `${field} is not in the expected format.` };
    default:
      return { field, message: `${field} ${error.message ?? 'is invalid'}.` };
  }
}

function parseBody<T>(
  event: APIGatewayProxyEventV2,
  validate: { (data: unknown): boolean; errors?: ErrorObject[] | null },
): T {
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new ValidationError('The request body must be JSON.', 'body');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('The request body must be a JSON object.', 'body');
  }
  if (!validate(body)) {
    const first = validate.errors?.[0];
    const { field, message } = first ? fieldMessage(first) : { field: 'body', message: 'The request body is invalid.' };
    throw new ValidationError(message, field);
  }
  return body as T;
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
      if (!isChat && !isConfirm) return done(json(404, { error: `No route ${path}.`, error_type: 'not_found' }));
      if (method !== 'POST')
        return done(json(405, { error: 'Use POST.', error_type: 'method_not_allowed' }), 'method_not_allowed');
      if (!deps.service)
        return done(
          json(503, { error: notConfiguredMessage, error_type: 'agent_not_configured' }),
          'agent_not_configured',
        );

      const who = await deps.verifyToken(header(event, 'authorization'));
      const request = isChat
        ? parseBody<ChatRequest>(event, validators.ChatRequest)
        : parseBody<ConfirmRequest>(event, validators.ConfirmRequest);
      const limit = await deps.rateLimiter.hit(`${who.clientId}#${who.customerId}`, deps.clock());
      if (!limit.allowed) throw new RateLimitedError(limit.retryAfterSeconds);

      const reply = isChat
        ? await deps.service.sendMessage(who, header(event, 'x-pf360-token'), request as ChatRequest)
        : await deps.service.answerConfirmation(who, header(event, 'x-pf360-token'), request as ConfirmRequest);
      return done(json(200, reply));
    } catch (error) {
      if (error instanceof AppError) {
        const retryAfter: Record<string, string> =
          error instanceof RateLimitedError || error instanceof AgentThrottledError
            ? { 'retry-after': String(error.retryAfterSeconds) }
            : {};
        const field = error instanceof ValidationError && error.field ? { field: error.field } : {};
        return done(
          json(error.status, { error: error.message, error_type: error.errorType, ...field }, retryAfter),
          error.errorType,
        );
      }
      if (error instanceof Error) logger.error('chat request failed unexpectedly', error);
      else logger.error('chat request failed unexpectedly', { thrown: typeof error });
      return done(
        json(500, { error: 'Something went wrong on our side; please try again.', error_type: 'internal_error' }),
        'internal_error',
      );
    }
  };
}

/**
 * The chat HTTP API (openapi/chat.yaml) as an API Gateway HTTP API (payload 2.0) handler:
 * POST /chat and POST /chat/confirm, and each streamed as Server-Sent Events (/chat/stream,
 * /chat/confirm/stream). Order per request: route → bearer token (401) → agent configured (503)
 * → body against the generated validators and the PF360 token header (400 naming the field) →
 * per-customer rate limit (429 with Retry-After) → the chat turn. Nothing throws out.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as validators from '../../generated/validators/chat.cjs';
import { AppError, toErrorResponse, validationError } from '../domain/errors.js';
import { isPf360Token, pf360TokenRule } from '../domain/pf360-token.js';
import { assertValid, type Validator } from '../edge/validation.js';
import type { Logger } from '../observability/logger.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import { silentSink, type TurnSink } from './agent-runner.js';
import type { TokenVerifier } from './auth.js';
import type { ChatRequest, ChatResponse, ChatService, ConfirmRequest } from './service.js';

export interface ChatHttpDeps {
  /** Undefined when no agent is configured: every request then gets 503. */
  service?: ChatService;
  verifyToken: TokenVerifier;
  rateLimiter: RateLimiter;
  clock: () => Date;
  logger: Logger;
}

/** Where a streamed answer's events go as they happen: `open` once (the status line and headers), then text. */
export interface EventStream {
  open(): void;
  write(text: string): void;
}

export const sseHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

export type ChatHttpHandler = (
  event: APIGatewayProxyEventV2,
  context?: { awsRequestId?: string },
  stream?: EventStream,
) => Promise<APIGatewayProxyStructuredResultV2>;

export const notConfiguredMessage =
  'No assistant is configured: set AGENT_PROVIDER=openai with OPENAI_BASE_URL and AGENT_MODEL_ID for any OpenAI-compatible chat-completions server such as a local LLM server (OPENAI_API_KEY if it needs one), AGENT_PROVIDER=bedrock with AWS_REGION and AWS credentials (AGENT_MODEL_ID optional), or AGENT_ID and AGENT_ALIAS_ID with AWS_REGION for a deployed Bedrock Agents supervisor.';

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

/** The four routes: the two operations, and each streamed as Server-Sent Events. */
const routes: Record<string, { confirm: boolean; streamed: boolean }> = {
  '/chat': { confirm: false, streamed: false },
  '/chat/confirm': { confirm: true, streamed: false },
  '/chat/stream': { confirm: false, streamed: true },
  '/chat/confirm/stream': { confirm: true, streamed: true },
};

/** One Server-Sent Event as the wire carries it. */
export function sseEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function createChatHttpHandler(deps: ChatHttpDeps): ChatHttpHandler {
  const { logger } = deps;
  return async (event, context, stream) => {
    const started = Date.now();
    const method = event.requestContext?.http?.method ?? '';
    const path = event.rawPath ?? '';
    logger.resetKeys();
    logger.appendKeys({
      correlation_id: context?.awsRequestId ?? event.requestContext?.requestId ?? randomUUID(),
      route: `${method} ${path}`,
    });
    const finished = (status: number, errorType?: string) => {
      logger[status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info']('chat request finished', {
        status,
        ms: Date.now() - started,
        ...(errorType ? { error_type: errorType } : {}),
      });
    };
    const failure = (error: unknown) => {
      const response = toErrorResponse(error, logger);
      finished(response.status, response.body.error_type);
      return response;
    };
    // Everything checked before the turn answers as the JSON API does, streamed route or not.
    let turn: (sink: TurnSink) => Promise<ChatResponse>;
    let streamed = false;
    try {
      const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
      if (!route) throw new AppError('not_found', `No route ${path}.`);
      if (method !== 'POST') throw new AppError('method_not_allowed');
      // An anonymous caller learns nothing, not even that no agent is configured.
      const who = await deps.verifyToken(header(event, 'authorization'));
      const service = deps.service;
      if (!service) throw new AppError('agent_not_configured', notConfiguredMessage);
      const pf360Token = header(event, 'x-pf360-token');
      const request = route.confirm
        ? parseBody<ConfirmRequest>(event, validators.ConfirmRequest)
        : parseBody<ChatRequest>(event, validators.ChatRequest);
      if (pf360Token !== undefined && !isPf360Token(pf360Token)) {
        throw validationError(`X-PF360-Token must be ${pf360TokenRule}.`, 'X-PF360-Token');
      }
      const limit = await deps.rateLimiter.hit(`${who.clientId}#${who.customerId}`, deps.clock());
      if (!limit.allowed) {
        throw new AppError('rate_limited', undefined, { retryAfterSeconds: limit.retryAfterSeconds });
      }
      streamed = route.streamed;
      turn = (sink) =>
        route.confirm
          ? service.answerConfirmation(who, pf360Token, request as ConfirmRequest, sink)
          : service.sendMessage(who, pf360Token, request as ChatRequest, sink);
    } catch (error) {
      const { status, body, retryAfterSeconds } = failure(error);
      const headers: Record<string, string> =
        retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
      return json(status, body, headers);
    }

    if (!streamed) {
      try {
        const reply = await turn(silentSink);
        finished(200);
        return json(200, reply);
      } catch (error) {
        const { status, body, retryAfterSeconds } = failure(error);
        return json(status, body, retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) });
      }
    }
    // Streamed: the events go to `stream` as they happen where the host can stream (the local
    // gateway), and into the body otherwise (an HTTP API integration answers once).
    let body = '';
    const write = stream ?? {
      open: () => undefined,
      write: (text: string) => {
        body += text;
      },
    };
    write.open();
    try {
      const reply = await turn({ text: (text) => write.write(sseEvent('delta', { text })) });
      if (reply.confirmation)
        write.write(sseEvent('confirmation', { session_id: reply.session_id, confirmation: reply.confirmation }));
      write.write(sseEvent('done', reply));
      finished(200);
    } catch (error) {
      const { status, body: errorBody } = failure(error);
      write.write(sseEvent('error', { status, ...errorBody }));
    }
    return { statusCode: 200, headers: sseHeaders, body };
  };
}

/**
 * The code-defined agent behind AgentCore Runtime's HTTP contract (openapi/agentcore-runtime.yaml):
 * `GET /ping` and `POST /invocations` on one node:http server, the same on AWS (port 8080) and on
 * the local stack (a free port).
 *
 * The chat backend is the only caller and has done the front door's work (token, session bound to
 * the customer, rate limit, the confirmation taken once). The payload names a session and nothing
 * else about anyone: customer, tenant and PF360 token are read from that session, and an unknown
 * or expired session is refused before the agent runs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AgentRunner } from '../../chat/agent-runner.js';
import { AppError, toErrorResponse } from '../../domain/errors.js';
import { isExpired } from '../../domain/session.js';
import { readBody } from '../../edge/http-body.js';
import { type Logger, sessionRef } from '../../observability/logger.js';
import type { SessionStore } from '../../ports/session-store.js';
import { errorToWire, replyToWire, resumeOf, sessionHeader, validInvocation } from './invocation.js';

export interface RuntimeServerDeps {
  runner: AgentRunner;
  sessions: SessionStore;
  clock: () => Date;
  logger: Logger;
}

/** A message is at most 2000 characters and an answer a few interrupts: anything near this is not a turn. */
const maxBodyBytes = 64 * 1024;

const sseHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  // After a body too large to read, the connection is not reused: the rest of it is still arriving.
  response.writeHead(status, {
    'content-type': 'application/json',
    ...(status === 413 ? { connection: 'close' } : {}),
  });
  response.end(JSON.stringify(body));
}

function event(response: ServerResponse, name: string, data: unknown): void {
  response.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createRuntimeServer(deps: RuntimeServerDeps): Server {
  const { logger } = deps;
  // Ping says HealthyBusy while a turn runs, so AgentCore does not stop the session's microVM
  // under it; the time is when that last changed, in whole seconds (AgentCore requires an integer).
  let running = 0;
  let changedAt = Math.floor(deps.clock().getTime() / 1000);
  const busy = (delta: number) => {
    running += delta;
    changedAt = Math.floor(deps.clock().getTime() / 1000);
  };

  async function invocation(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = Date.now();
    let status = 200;
    try {
      const text = await readBody(request, maxBodyBytes);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new AppError('validation_error', 'The request body must be JSON.', { field: 'body' });
      }
      const turn = validInvocation(body);
      if (header(request, sessionHeader) !== turn.session_id) {
        throw new AppError('validation_error', 'The session header must name the same session as the body.', {
          field: 'X-Amzn-Bedrock-AgentCore-Runtime-Session-Id',
        });
      }
      logger.appendKeys({ session: sessionRef(turn.session_id) });
      const session = await deps.sessions.get(turn.session_id);
      if (!session || isExpired(session, deps.clock())) throw new AppError('session_not_found');

      response.writeHead(200, sseHeaders);
      response.flushHeaders();
      busy(+1);
      try {
        const sink = { text: (delta: string) => event(response, 'delta', { text: delta }) };
        const reply = turn.answer
          ? await deps.runner.answer(session, resumeOf(turn.answer), turn.answer.decision, sink)
          : await deps.runner.send(session, turn.message ?? '', sink);
        event(response, 'done', replyToWire(reply));
      } catch (error) {
        const wire = errorToWire(error, logger);
        status = wire.status;
        event(response, 'error', wire);
      } finally {
        busy(-1);
      }
      response.end();
    } catch (error) {
      // Refused before the turn started: a plain JSON answer with its status.
      const { status: refused, body } = toErrorResponse(error, logger);
      status = refused;
      sendJson(response, refused, body);
    } finally {
      logger[status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info']('runtime invocation finished', {
        status,
        ms: Date.now() - started,
      });
    }
  }

  return createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    logger.resetKeys();
    logger.appendKeys({
      correlation_id: header(request, 'x-amzn-bedrock-agentcore-runtime-request-id') ?? crypto.randomUUID(),
      route: `${request.method} ${path}`,
    });
    if (path === '/ping') {
      if (request.method !== 'GET')
        return sendJson(response, 405, toErrorResponse(new AppError('method_not_allowed')).body);
      return sendJson(response, 200, {
        status: running > 0 ? 'HealthyBusy' : 'Healthy',
        time_of_last_update: changedAt,
      });
    }
    if (path === '/invocations') {
      if (request.method !== 'POST')
        return sendJson(response, 405, toErrorResponse(new AppError('method_not_allowed')).body);
      void invocation(request, response);
      return;
    }
    const { status, body } = toErrorResponse(new AppError('not_found', `No route ${path}.`));
    sendJson(response, status, body);
  });
}

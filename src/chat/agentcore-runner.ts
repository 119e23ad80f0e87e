/**
 * The chat backend's runner for the code-defined agent on AgentCore Runtime: each turn is one
 * invocation of the runtime (openapi/agentcore-runtime.yaml) with the session id as the runtime
 * session, read as it streams — the words go to the sink as they arrive, the final event becomes
 * the reply or the error. On AWS the transport is InvokeAgentRuntime (SigV4); on the local stack
 * it is a POST to the runtime server itself, with the same headers AgentCore sends.
 */
import type { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { InvokeAgentRuntimeCommand } from '@aws-sdk/client-bedrock-agentcore';
import {
  answerRequest,
  errorFromWire,
  type InvocationRequest,
  replyFromWire,
  sessionHeader,
} from '../agentcore/runtime/invocation.js';
import { AppError, isErrorCode } from '../domain/errors.js';
import type { AgentResume, Session } from '../domain/session.js';
import { SseParser } from '../edge/sse.js';
import type { Logger } from '../observability/logger.js';
import { type AgentReply, type AgentRunner, AgentTurnError, type TurnSink } from './agent-runner.js';
import { agentError } from './stream.js';

/** One invocation's answer: its status, content type and body as it streams. */
export interface RuntimeAnswer {
  status: number;
  contentType: string;
  body: AsyncIterable<Uint8Array>;
}

/** How a turn reaches the runtime. Throws what the transport throws (an SDK exception, a fetch failure). */
export interface RuntimeTransport {
  invoke(sessionId: string, request: InvocationRequest, signal: AbortSignal): Promise<RuntimeAnswer>;
}

/** InvokeAgentRuntime on the runtime's endpoint (`qualifier`), the runtime session being the chat session. */
export function invokeAgentRuntimeTransport(
  client: Pick<BedrockAgentCoreClient, 'send'>,
  agentRuntimeArn: string,
  qualifier: string,
): RuntimeTransport {
  return {
    async invoke(sessionId, request, signal) {
      const output = await client.send(
        new InvokeAgentRuntimeCommand({
          agentRuntimeArn,
          qualifier,
          runtimeSessionId: sessionId,
          contentType: 'application/json',
          accept: 'text/event-stream',
          payload: new TextEncoder().encode(JSON.stringify(request)),
        }),
        { abortSignal: signal },
      );
      const body = output.response as unknown as AsyncIterable<Uint8Array> | undefined;
      return {
        status: output.statusCode ?? 200,
        contentType: output.contentType ?? '',
        body: body ?? (async function* () {})(),
      };
    },
  };
}

/** The runtime server itself (the local stack): `POST <url>/invocations` with AgentCore's session header. */
export function httpRuntimeTransport(baseUrl: string, fetchImpl: typeof fetch = fetch): RuntimeTransport {
  const url = new URL('/invocations', baseUrl);
  return {
    async invoke(sessionId, request, signal) {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', [sessionHeader]: sessionId },
        body: JSON.stringify(request),
        signal,
      });
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        body: response.body ?? (async function* () {})(),
      };
    },
  };
}

/**
 * InvokeAgentRuntime's errors that refuse the call before the runtime runs it; anything else
 * (RuntimeClientError, InternalServerException, a time-out) may come after a tool ran. A fetch
 * TypeError is the local runtime not reachable at all.
 */
const refusedBeforeRunning = new Set([
  'ThrottlingException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ValidationException',
  'ServiceQuotaExceededException',
  'RetryableConflictException',
  'UnrecognizedClientException',
  'CredentialsProviderError',
]);

export interface AgentCoreRunnerDeps {
  transport: RuntimeTransport;
  /** The turn's deadline, as for the other runners (fits API Gateway's 30 s). */
  timeoutMs: number;
  logger: Logger;
}

function deltaText(data: unknown): string {
  const text = (data as { text?: unknown } | null)?.text;
  if (typeof text !== 'string') throw new Error('a delta carries text');
  return text;
}

async function textOf(body: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of body) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

export class AgentCoreRunner implements AgentRunner {
  constructor(private readonly deps: AgentCoreRunnerDeps) {}

  send(session: Session, message: string, sink: TurnSink): Promise<AgentReply> {
    return this.turn(session.sessionId, { session_id: session.sessionId, message }, sink);
  }

  async answer(
    session: Session,
    resume: AgentResume,
    decision: 'confirm' | 'deny',
    sink: TurnSink,
  ): Promise<AgentReply> {
    // Only the code-defined agent's pauses can be answered here (not a Classic returnControl
    // left from before the stage moved to AgentCore).
    return this.turn(session.sessionId, answerRequest(session.sessionId, resume, decision), sink);
  }

  private async turn(sessionId: string, request: InvocationRequest, sink: TurnSink): Promise<AgentReply> {
    const signal = AbortSignal.timeout(this.deps.timeoutMs);
    let answer: RuntimeAnswer;
    try {
      answer = await this.deps.transport.invoke(sessionId, request, signal);
    } catch (error) {
      // AgentCore refused the call before the runtime saw it (nothing ran), or the runtime failed
      // while running it (a change may have been made).
      const name = error instanceof Error ? error.name : '';
      const refused = refusedBeforeRunning.has(name) || (error instanceof TypeError && !signal.aborted);
      throw new AgentTurnError(signal.aborted ? new AppError('agent_timeout') : agentError(error), refused);
    }
    if (!answer.contentType.startsWith('text/event-stream')) {
      throw new AgentTurnError(await this.refusal(answer), true);
    }
    const parser = new SseParser();
    try {
      for await (const chunk of answer.body) {
        for (const { event, data } of parser.push(chunk)) {
          if (event === 'delta') sink.text(this.decode(event, () => deltaText(JSON.parse(data))));
          else if (event === 'done') return this.decode(event, () => replyFromWire(JSON.parse(data)));
          else if (event === 'error') throw this.decode(event, () => errorFromWire(JSON.parse(data)));
        }
      }
    } catch (error) {
      if (error instanceof AgentTurnError || error instanceof AppError) throw error;
      // The stream broke mid-turn: the agent may have acted before it did.
      this.deps.logger.warn('runtime stream failed', { cause: (error as Error)?.name });
      throw new AgentTurnError(signal.aborted ? new AppError('agent_timeout') : new AppError('agent_error'), false);
    }
    // Ended without its final event: as above, whatever ran may have run.
    throw new AgentTurnError(new AppError('agent_error'), false);
  }

  /** An event's data as the contract says it is; anything else is the runtime misbehaving (502), after which anything may have run. */
  private decode<T>(event: string, read: () => T): T {
    try {
      return read();
    } catch {
      this.deps.logger.error('runtime event not understood', { event });
      throw new AgentTurnError(new AppError('agent_bad_gateway'), false);
    }
  }

  /** A JSON answer from the runtime, refusing the turn before it started. */
  private async refusal(answer: RuntimeAnswer): Promise<AppError> {
    try {
      const body = JSON.parse(await textOf(answer.body)) as { error?: unknown; error_type?: unknown };
      if (isErrorCode(body.error_type) && typeof body.error === 'string')
        return new AppError(body.error_type, body.error);
    } catch {
      // Not our JSON: described below.
    }
    this.deps.logger.error('runtime answered without a turn', {
      status: answer.status,
      content_type: answer.contentType,
    });
    return new AppError('agent_bad_gateway');
  }
}

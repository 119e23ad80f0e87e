/**
 * The local platform: the chat API's own handler with the code-defined agent in-process (as
 * `npm start` runs it), its tools calling PF360 and the weather service through recording,
 * fault-injecting proxies in front of Prism, sessions and conversations in DynamoDB Local. Only
 * the model is chosen by the evaluation: the configured one, or a recording replayed. One lane
 * runs one case at a time (the proxies' rules are the case's world); lanes run side by side.
 */
import type { BaseModelConfig, Model } from '@strands-agents/sdk';
import { localChatHandler, localJwt } from '../../scripts/local/chat.js';
import { ScriptedModel, type ScriptedTurn } from '../../src/agent/scripted-model.js';
import type { ChatHttpHandler } from '../../src/chat/http.js';
import { httpEvent, token } from '../../test/helpers/chat.js';
import {
  pf360Paths,
  type RecordedRequest,
  startUpstreamProxy,
  type UpstreamProxy,
} from '../../test/helpers/upstream-proxy.js';
import { onCalendar } from './cases.js';
import type { ChatAnswer, ChatClient } from './conversation.js';
import { playConversation } from './conversation.js';
import { ObservingModel } from './observe.js';
import { type EvalRun, runCases } from './run.js';
import type { EvalCase, Observation, ObservedWrite } from './types.js';
import { customers, worldRules } from './world.js';

/** The PF360 token the chat is given: PF360 here is Prism, which takes any. */
export const evalPf360Token = 'pf360-eval-token';

/** The chat API in this process, as a client that keeps the conversation's session. */
export function handlerChat(handler: ChatHttpHandler, headers: Record<string, string>): ChatClient {
  let sessionId: string | undefined;
  const post = async (path: string, body: object): Promise<ChatAnswer> => {
    const result = await handler(httpEvent(path, body, headers));
    const parsed = JSON.parse(result.body ?? '{}') as Record<string, unknown>;
    if (typeof parsed.session_id === 'string') sessionId ??= parsed.session_id;
    return { status: result.statusCode ?? 500, body: parsed };
  };
  return {
    say: (message) => post('/chat', { message, ...(sessionId ? { session_id: sessionId } : {}) }),
    answer: (confirmationId, decision) =>
      post('/chat/confirm', { session_id: sessionId, confirmation_id: confirmationId, decision }),
  };
}

/** A PF360 request that changes something, as the write it is (or undefined for a read). */
export function writeOf(request: RecordedRequest, step: number): ObservedWrite | undefined {
  const project = (pattern: RegExp) => pattern.exec(request.path)?.[1];
  if (request.method === 'POST' && pf360Paths.schedule.test(request.path)) {
    let values: Record<string, string> = {};
    try {
      const body = JSON.parse(request.body) as { date?: string; time?: string };
      values = { ...(body.date ? { date: body.date } : {}), ...(body.time ? { time: body.time } : {}) };
    } catch {
      // An unreadable body is still a write; its values are unknown.
    }
    const projectId = project(/\/project\/([^/]+)\/schedule$/);
    return {
      step,
      operations: ['confirm_appointment', 'reschedule_appointment'],
      ...(projectId ? { projectId } : {}),
      values,
      source: 'pf360',
    };
  }
  if (pf360Paths.cancel.test(request.path)) {
    const projectId = project(/\/project\/([^/]+)\/cancel-reschedule$/);
    return { step, operations: ['cancel_appointment'], ...(projectId ? { projectId } : {}), source: 'pf360' };
  }
  if (request.method === 'POST' && pf360Paths.addNote.test(request.path)) {
    const projectId = project(/^\/project-notes\/add\/[^/]+\/([^/]+)$/);
    return { step, operations: ['add_note'], ...(projectId ? { projectId } : {}), source: 'pf360' };
  }
  return undefined;
}

/**
 * The chat's settings for the evaluation: the stack's, PF360 and the weather behind the lane's
 * proxies, real writes on (PF360 is Prism: the proxy must see every change), a quick upstream
 * policy, no rate limit in the way, and a turn deadline that suits a local model.
 */
export function laneEnv(
  base: Record<string, string | undefined>,
  proxies: { pf360: string; weather: string },
  mode: 'live' | 'replay',
): Record<string, string | undefined> {
  return {
    ...base,
    ...localJwt,
    STAGE: 'local',
    // The model is always passed in (the configured one, or a replay, observed); for a replay
    // these only select the code-defined agent, whatever the environment configures.
    ...(mode === 'replay'
      ? { AGENT_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', AGENT_MODEL_ID: 'replay' }
      : {}),
    AGENT_ID: '',
    AGENT_ALIAS_ID: '',
    AGENT_RUNTIME_ARN: '',
    AGENT_RUNTIME_URL: '',
    // The same default index.ts gives the model's request timeout: one deadline for the turn.
    AGENT_TIMEOUT_MS: base.AGENT_TIMEOUT_MS ?? '120000',
    PF360_BASE_URL: proxies.pf360,
    WEATHER_BASE_URL: proxies.weather,
    GEOCODING_BASE_URL: proxies.weather,
    ENABLE_REAL_CONFIRM: 'true',
    ENABLE_REAL_CANCEL: 'true',
    RATE_LIMIT_PER_MINUTE: '10000',
    API_TIMEOUT_MS: base.EVAL_API_TIMEOUT_MS ?? '2000',
    API_MAX_RETRIES: '1',
    API_RETRY_BASE_MS: '5',
    API_RETRY_MAX_MS: '20',
    WEATHER_TIMEOUT_MS: '2000',
  };
}

export interface CaseRun {
  observation: Observation;
  /** The model's turns of the run (ScriptedTurn format), for --record. */
  recorded: ScriptedTurn[];
}

export interface Lane {
  run(c: EvalCase, model: Model<BaseModelConfig>): Promise<CaseRun>;
  close(): Promise<void>;
}

/**
 * A lane on the local stack whose settings are `env` (the stack's endpoints and tables, and the
 * model's). `pf360Token` is the PF360 token the chat is given (tests pass one the log audit knows).
 */
export async function openLocalLane(
  env: Record<string, string | undefined>,
  mode: 'live' | 'replay',
  pf360Token = evalPf360Token,
): Promise<Lane> {
  const pf360: UpstreamProxy = await startUpstreamProxy(env.PF360_BASE_URL ?? '');
  const weather: UpstreamProxy = await startUpstreamProxy(env.WEATHER_BASE_URL ?? '');
  const observer = new ObservingModel();
  const handler = localChatHandler(laneEnv(env, { pf360: pf360.url, weather: weather.url }, mode), observer);
  return {
    async run(c, model) {
      pf360.reset();
      weather.reset();
      const rules = worldRules(c.world);
      for (const rule of rules.pf360) pf360.inject(rule);
      for (const rule of rules.weather) weather.inject(rule);
      observer.begin(model);
      const who = customers[c.world?.customer ?? 'demo'];
      const headers = { authorization: `Bearer ${await token(who)}`, 'x-pf360-token': pf360Token };
      const writes: ObservedWrite[] = [];
      let mark = 0;
      let steps: Observation['steps'] = [];
      let harnessError: string | undefined;
      try {
        steps = await playConversation(c, handlerChat(handler, headers), {
          before: (step) => {
            observer.step = step;
            mark = pf360.requests.length;
          },
          after: (step) => {
            for (const request of pf360.requests.slice(mark)) {
              const write = writeOf(request, step);
              if (write) writes.push(write);
            }
          },
        });
      } catch (error) {
        harnessError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      const observation: Observation = {
        caseId: c.id,
        platform: 'local',
        calls: observer.calls,
        steps,
        writes,
        upstreamPaths: pf360.requests.map((r) => r.path),
        ...(model instanceof ScriptedModel && model.remaining > 0 ? { unusedModelTurns: model.remaining } : {}),
        ...(harnessError ? { harnessError } : {}),
      };
      return { observation, recorded: observer.recorded };
    },
    async close() {
      await pf360.close();
      await weather.close();
    },
  };
}

export interface LocalRunOptions {
  /** The stack's settings: its endpoints and tables (and, for a live run, the model's). */
  env: Record<string, string | undefined>;
  mode: 'live' | 'replay';
  /** The model each case runs with: the configured one, or a recording of that case replayed. */
  modelFor: (c: EvalCase) => Model<BaseModelConfig>;
  /** Lanes side by side (default 1). */
  concurrency?: number;
  pf360Token?: string;
  progress?: (line: string) => void;
  onFinished?: (run: EvalRun) => void;
}

/**
 * Runs cases on a running local stack and scores them: what `npm run eval` does after starting
 * its stack, and what the replay test does on the test run's stack — one harness for both.
 */
export async function runLocalCases(cases: readonly EvalCase[], options: LocalRunOptions): Promise<EvalRun[]> {
  const lanes: Lane[] = [];
  try {
    for (let i = 0; i < (options.concurrency ?? 1); i += 1) {
      lanes.push(await openLocalLane(options.env, options.mode, options.pf360Token));
    }
    return await runCases(
      // The local stack serves the examples with their own dates: the cases stay on that calendar.
      cases.map((c) => onCalendar(c, 0)),
      lanes,
      (lane, c) => lane.run(c, options.modelFor(c)),
      options.progress,
      options.onFinished,
    );
  } finally {
    await Promise.all(lanes.map((lane) => lane.close()));
  }
}

/**
 * The Classic platform: the same chat handler, calling a deployed Bedrock Agents supervisor with
 * InvokeAgent and traces on, against that stage's sessions table (the stage's action Lambdas read
 * the sessions the chat creates). What the agent did is read from the traces: each action-group
 * invocation of a collaborator's orchestration is a tool call (its result is the observation that
 * follows it), a returnControl is a call waiting for the customer's yes, and an action that ran
 * successfully is a change. The stage's ids are resolved from its deployed chat function, as
 * `npm run test:stage` reads a stage's settings from its functions.
 */
import type {
  ApiInvocationInput,
  BedrockAgentRuntimeClient,
  Parameter,
  ResponseStream,
  TracePart,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { actionCatalog } from '../../generated/catalog/actions.js';
import { localJwt } from '../../scripts/local/chat.js';
import { createChatHandler } from '../../src/chat/wiring.js';
import { writeTools } from '../../src/tools/invoke-tool.js';
import { token } from '../../test/helpers/chat.js';
import { playConversation } from './conversation.js';
import { evalPf360Token, handlerChat } from './local.js';
import type { EvalCase, Observation, ObservedCall, ObservedWrite } from './types.js';
import { customers } from './world.js';

export interface ClassicStage {
  stage: string;
  region: string;
  agentId: string;
  agentAliasId: string;
  sessionsTable: string;
  /** Whether the stage answers PF360 from the spec examples (USE_MOCK_API): the cases' data. */
  mock: boolean;
  /** The customers' zone when the token names none: where the examples' "tomorrow" is taken. */
  defaultTimeZone: string;
}

export class StageError extends Error {
  override name = 'StageError';
}

/** The stage's supervisor alias and tables, from its deployed chat and scheduling functions. */
export async function resolveClassicStage(
  stage: string,
  region: string,
  lambda: Pick<LambdaClient, 'send'>,
): Promise<ClassicStage> {
  const settings = async (fn: string) => {
    const name = `pf360-agent-${stage}-${fn}`;
    try {
      const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
      return config.Environment?.Variables ?? {};
    } catch (error) {
      const { name: kind, message } = error as Error;
      if (kind === 'ResourceNotFoundException') {
        throw new StageError(
          `${name} does not exist in ${region}: deploy the stage first (npx sls deploy --stage ${stage}).`,
        );
      }
      if (kind === 'CredentialsProviderError') {
        throw new StageError(
          'no AWS credentials found: sign in (e.g. aws sso login) or export AWS_PROFILE, then run again.',
        );
      }
      throw new StageError(`cannot read ${name}'s configuration in ${region}: ${kind}: ${message}`);
    }
  };
  const chat = await settings('chat');
  const scheduling = await settings('scheduling');
  const { AGENT_ID: agentId, AGENT_ALIAS_ID: agentAliasId, SESSIONS_TABLE: sessionsTable } = chat;
  if (!agentId || !agentAliasId || !sessionsTable) {
    throw new StageError(
      `pf360-agent-${stage}-chat has no AGENT_ID, AGENT_ALIAS_ID or SESSIONS_TABLE: is the stage's chat on Bedrock Agents (Classic)?`,
    );
  }
  return {
    stage,
    region,
    agentId,
    agentAliasId,
    sessionsTable,
    mock: scheduling.USE_MOCK_API === 'true',
    defaultTimeZone: scheduling.DEFAULT_TIME_ZONE ?? chat.DEFAULT_TIME_ZONE ?? 'America/New_York',
  };
}

// ---------------------------------------------------------------------------------------------
// Traces → the trajectory

/** One event of a completion stream, with the chat request it belongs to. */
export interface StepEvent {
  step: number;
  event: ResponseStream;
}

/** The tool an action group's API path is (the operationId), whichever group serves it. */
export function operationOf(group: string | undefined, verb: string | undefined, apiPath: string | undefined): string {
  const method = (verb ?? '').toUpperCase();
  const groups = Object.entries(actionCatalog) as [
    string,
    readonly { method: string; apiPath: string; operationId: string }[],
  ][];
  const inGroup = groups.find(([name]) => name === group)?.[1];
  const match = (ops: readonly { method: string; apiPath: string; operationId: string }[]) =>
    ops.find((op) => op.apiPath === apiPath && (!method || op.method === method));
  return (
    (inGroup && match(inGroup))?.operationId ??
    groups.map(([, ops]) => match(ops)).find(Boolean)?.operationId ??
    `${method} ${apiPath ?? '?'}`
  );
}

function valuesOf(parameters: readonly Parameter[] | undefined, body: readonly Parameter[] | undefined) {
  const values: Record<string, unknown> = {};
  for (const p of [...(parameters ?? []), ...(body ?? [])]) if (p.name) values[p.name] = p.value ?? '';
  return values;
}

const sameInput = (a: Record<string, unknown>, b: Record<string, unknown>) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => String(a[k] ?? '') === String(b[k] ?? ''));
};

function parseOutput(text: string | undefined): { status: 'success' | 'error'; body: unknown } {
  let body: unknown = text ?? '';
  try {
    body = JSON.parse(text ?? '');
  } catch {
    // Plain text: kept as it is.
  }
  const failed = Boolean(body && typeof body === 'object' && 'error_type' in body);
  return { status: failed ? 'error' : 'success', body };
}

interface TracedCall extends ObservedCall {
  traceId?: string;
  /** Raised as a returnControl: waiting for (or given) the customer's answer. */
  asked?: boolean;
  /** The action ran (its invocation was traced after the question, or without one). */
  invoked?: boolean;
}

/**
 * The tool calls and the changes of a Classic conversation, from its completion events in order.
 * An action-group invocation that repeats a call the agent returned control for (the same tool
 * and values) is that call running after the customer's answer, not a new call.
 */
export function classicTrajectory(events: readonly StepEvent[]): { calls: ObservedCall[]; writes: ObservedWrite[] } {
  const calls: TracedCall[] = [];
  const writes: ObservedWrite[] = [];
  for (const { step, event } of events) {
    if (event.trace) {
      const part: TracePart = event.trace;
      const orchestration = part.trace?.orchestrationTrace;
      const invocation = orchestration?.invocationInput?.actionGroupInvocationInput;
      const observation = orchestration?.observation;
      if (invocation) {
        const tool = operationOf(invocation.actionGroupName, invocation.verb, invocation.apiPath);
        const input = valuesOf(invocation.parameters, invocation.requestBody?.content?.['application/json']);
        const traceId = orchestration?.invocationInput?.traceId;
        const questioned = calls.find((c) => c.asked && !c.invoked && c.tool === tool && sameInput(c.input, input));
        if (questioned) {
          questioned.invoked = true;
          if (traceId) questioned.traceId = traceId;
        } else {
          calls.push({ tool, input, step, invoked: true, ...(traceId ? { traceId } : {}) });
        }
      } else if (observation?.actionGroupInvocationOutput) {
        const call =
          calls.find((c) => observation.traceId !== undefined && c.traceId === observation.traceId && !c.result) ??
          calls.findLast((c) => c.invoked && !c.result) ??
          // The confirmed call running without a traced invocation of its own.
          calls.findLast((c) => c.asked && !c.result);
        if (call) {
          call.result = parseOutput(observation.actionGroupInvocationOutput.text);
          if (writeTools.has(call.tool) && call.result.status === 'success') {
            const projectId = call.input.project_id === undefined ? undefined : String(call.input.project_id);
            const values = Object.fromEntries(
              ['date', 'time'].filter((k) => call.input[k] !== undefined).map((k) => [k, String(call.input[k])]),
            );
            writes.push({
              step,
              operations: [call.tool],
              ...(projectId ? { projectId } : {}),
              values,
              source: 'trace',
            });
          }
        }
      }
    } else if (event.returnControl) {
      for (const member of event.returnControl.invocationInputs ?? []) {
        const api: ApiInvocationInput | undefined = member.apiInvocationInput;
        if (!api) continue;
        const tool = operationOf(api.actionGroup, api.httpMethod, api.apiPath);
        const input = valuesOf(api.parameters, api.requestBody?.content?.['application/json']?.properties);
        // An invocation traced just before the question, never run: the same call.
        const traced = calls.find((c) => c.step === step && !c.result && c.tool === tool && sameInput(c.input, input));
        if (traced) {
          traced.asked = true;
          traced.invoked = false;
        } else calls.push({ tool, input, step, asked: true });
      }
    }
  }
  return {
    calls: calls.map(({ traceId: _t, asked: _a, invoked: _i, ...call }) => call),
    writes,
  };
}

/** A client that hands every completion event to `sink` as the chat reads it. */
export function tracingClient(
  inner: Pick<BedrockAgentRuntimeClient, 'send'>,
  sink: (event: ResponseStream) => void,
): Pick<BedrockAgentRuntimeClient, 'send'> {
  const send = async (...args: Parameters<BedrockAgentRuntimeClient['send']>) => {
    const output = (await (inner.send as (...a: unknown[]) => Promise<unknown>)(...args)) as {
      completion?: AsyncIterable<ResponseStream>;
    };
    const completion = output.completion;
    if (!completion) return output;
    return {
      ...output,
      completion: (async function* tee() {
        for await (const event of completion) {
          sink(event);
          yield event;
        }
      })(),
    };
  };
  return { send } as unknown as Pick<BedrockAgentRuntimeClient, 'send'>;
}

export interface ClassicLane {
  run(c: EvalCase): Promise<{ observation: Observation }>;
}

/**
 * A lane on a deployed Classic stage. `env` holds the AWS settings (credentials from the usual
 * chain); the chat handler runs here, with local tokens, against the stage's sessions table.
 */
export function openClassicLane(
  stage: ClassicStage,
  options: { env: Record<string, string | undefined>; agentClient: Pick<BedrockAgentRuntimeClient, 'send'> },
): ClassicLane {
  let events: StepEvent[] = [];
  let step = 0;
  const client = tracingClient(options.agentClient, (event) => events.push({ step, event }));
  const handler = createChatHandler(
    {
      ...options.env,
      ...localJwt,
      STAGE: 'local',
      AGENT_PLATFORM: 'classic',
      AGENT_PROVIDER: '',
      AGENT_RUNTIME_ARN: '',
      AGENT_RUNTIME_URL: '',
      AGENT_ID: stage.agentId,
      AGENT_ALIAS_ID: stage.agentAliasId,
      AWS_REGION: stage.region,
      SESSIONS_TABLE: stage.sessionsTable,
      DEFAULT_TIME_ZONE: stage.defaultTimeZone,
      ENABLE_TRACE: 'true',
      RATE_LIMIT_PER_MINUTE: '10000',
    },
    { agentClient: client },
  );
  return {
    async run(c) {
      events = [];
      const who = customers[c.world?.customer ?? 'demo'];
      const headers = { authorization: `Bearer ${await token(who)}`, 'x-pf360-token': evalPf360Token };
      let harnessError: string | undefined;
      let steps: Observation['steps'] = [];
      try {
        steps = await playConversation(c, handlerChat(handler, headers), {
          before: (s) => {
            step = s;
          },
        });
      } catch (error) {
        harnessError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      const { calls, writes } = classicTrajectory(events);
      return {
        observation: {
          caseId: c.id,
          platform: 'classic',
          calls,
          steps,
          writes,
          ...(harnessError ? { harnessError } : {}),
        },
      };
    },
  };
}

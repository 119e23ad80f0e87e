/**
 * The Classic platform of the evaluation: what a deployed Bedrock Agents supervisor did, read
 * from its completion events with traces on (scripts/eval/classic.ts) — the tool calls of its
 * collaborators in order with their values and results, a call that waited for the customer's
 * answer counted once, and the writes that ran — and the stage's ids read from its functions.
 * The Bedrock and Lambda clients are aws-sdk-client-mock stubs fed realistic payloads.
 */
import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type InvokeAgentCommandOutput,
  type ResponseStream,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  classicTrajectory,
  operationOf,
  resolveClassicStage,
  StageError,
  type StepEvent,
  tracingClient,
} from '../../../scripts/eval/classic.js';
import { scoreCase } from '../../../scripts/eval/score.js';
import type { EvalCase, Observation, ObservedStep } from '../../../scripts/eval/types.js';
import { completion } from '../../helpers/chat.js';
import { action, askToConfirm, finalAnswer, supervisorRouting } from '../../helpers/classic-traces.js';

const booking = { project_id: '12350', date: '2026-12-04', time: '10:00 AM' };
const projects = { projects: [{ project_id: '12350', order_number: 'ORD-2026-003', category: 'Roofing' }] };
const dates = { project_id: '12350', available_dates: ['2026-12-01', '2026-12-04'] };
const slots = { project_id: '12350', date: '2026-12-04', slots: ['09:00 AM', '10:00 AM'] };
const booked = { status: 'success', confirmation_number: 'CONF-1', scheduled_date: '2026-12-04' };

const at = (step: number, events: ResponseStream[]): StepEvent[] => events.map((event) => ({ step, event }));

/** The customer's first message: the supervisor hands over, the collaborator reads and asks to confirm. */
const askedToBook: StepEvent[] = at(0, [
  ...supervisorRouting('sup-0'),
  ...action('col-0', 'list_projects', {}, projects),
  ...action('col-1', 'get_available_dates', { project_id: '12350' }, dates),
  ...action('col-2', 'get_time_slots', { project_id: '12350', date: '2026-12-04' }, slots),
  // The write is traced as handed back to the caller, then returned for the confirmation.
  ...action('col-3', 'confirm_appointment', booking, undefined, {
    executionType: 'RETURN_CONTROL',
    invocationId: 'inv-1',
  }),
  askToConfirm('inv-1', 'confirm_appointment', booking),
]);

/** The customer's yes: the collaborator runs the confirmed write, checks it and answers. */
const bookedAfterYes: StepEvent[] = at(1, [
  ...action('col-4', 'confirm_appointment', booking, booked),
  ...action('col-5', 'get_appointment_status', { project_id: '12350' }, { scheduled: true }),
  finalAnswer('You are booked for Friday, December 4 at 10:00 AM (ORD-2026-003).'),
]);

describe('classicTrajectory', () => {
  it("reads the collaborators' calls in order, the confirmed write once, with its result, as a change after the yes", () => {
    const { calls, writes } = classicTrajectory([...askedToBook, ...bookedAfterYes]);
    expect(calls.map((c) => [c.tool, c.input, c.step, c.result?.status])).toEqual([
      ['list_projects', {}, 0, 'success'],
      ['get_available_dates', { project_id: '12350' }, 0, 'success'],
      ['get_time_slots', { project_id: '12350', date: '2026-12-04' }, 0, 'success'],
      ['confirm_appointment', booking, 0, 'success'],
      ['get_appointment_status', { project_id: '12350' }, 1, 'success'],
    ]);
    expect(calls[3]?.result?.body).toEqual(booked);
    expect(writes).toEqual([
      {
        step: 1,
        operations: ['confirm_appointment'],
        projectId: '12350',
        values: { date: '2026-12-04', time: '10:00 AM' },
        source: 'trace',
      },
    ]);
  });

  it('counts a returnControl without a traced invocation as the call, and a denied one as no change', () => {
    const denied = at(0, [
      ...action('col-0', 'list_projects', {}, projects),
      askToConfirm('inv-9', 'cancel_appointment', { project_id: '12345' }),
    ]);
    const afterNo = at(1, [finalAnswer('All right, nothing is cancelled.')]);
    const { calls, writes } = classicTrajectory([...denied, ...afterNo]);
    expect(calls).toEqual([
      expect.objectContaining({ tool: 'list_projects', step: 0 }),
      { tool: 'cancel_appointment', input: { project_id: '12345' }, step: 0 },
    ]);
    expect(writes).toEqual([]);
  });

  it('runs a confirmed call that the trace does not show again as the call returned for confirmation', () => {
    const afterYes = at(1, [
      {
        trace: {
          trace: {
            orchestrationTrace: {
              observation: {
                traceId: 'col-9',
                type: 'ACTION_GROUP',
                actionGroupInvocationOutput: { text: JSON.stringify(booked) },
              },
            },
          },
        },
      },
    ]);
    const { calls, writes } = classicTrajectory([
      { step: 0, event: askToConfirm('inv-1', 'confirm_appointment', booking) },
      ...afterYes,
    ]);
    expect(calls).toEqual([
      { tool: 'confirm_appointment', input: booking, step: 0, result: { status: 'success', body: booked } },
    ]);
    expect(writes).toEqual([expect.objectContaining({ step: 1, operations: ['confirm_appointment'] })]);
  });

  it('keeps a failed action as an error result and no change', () => {
    const failure = { error: 'The scheduling system is unavailable.', error_type: 'upstream_unavailable' };
    const { calls, writes } = classicTrajectory(at(1, action('col-0', 'reschedule_appointment', booking, failure)));
    expect(calls).toEqual([
      { tool: 'reschedule_appointment', input: booking, step: 1, result: { status: 'error', body: failure } },
    ]);
    expect(writes).toEqual([]);
  });

  it('ignores what is not an action: the supervisor routing, model input, rationale, chunks', () => {
    expect(classicTrajectory(at(0, [...supervisorRouting('sup-0'), finalAnswer('Hello!')]))).toEqual({
      calls: [],
      writes: [],
    });
  });

  it('scores a write the Classic agent ran without returning control as made without a yes', () => {
    // A stage whose write is not marked x-requireConfirmation: the action runs in the first turn.
    const events = at(0, [
      ...action('col-0', 'list_projects', {}, projects),
      ...action('col-1', 'get_available_dates', { project_id: '12350' }, dates),
      ...action('col-2', 'get_time_slots', { project_id: '12350', date: '2026-12-04' }, slots),
      ...action('col-3', 'confirm_appointment', booking, booked),
      finalAnswer('You are booked.'),
    ]);
    const { calls, writes } = classicTrajectory(events);
    const bookingCase: EvalCase = {
      id: 'book-roof',
      title: 'Book the roof',
      category: 'booking',
      turns: [
        {
          say: 'Book my roof on Friday, December 4 at 10 AM',
          confirmations: [{ operation: 'confirm_appointment', details: booking, answer: 'confirm' }],
        },
      ],
      expected: {
        trajectory: [
          { tool: 'list_projects' },
          { tool: 'get_available_dates' },
          { tool: 'get_time_slots' },
          { tool: 'confirm_appointment', args: booking },
        ],
      },
    };
    const steps: ObservedStep[] = [{ turn: 0, kind: 'say', text: 'Book…', reply: { text: 'You are booked.' } }];
    const observation: Observation = { caseId: 'book-roof', platform: 'classic', calls, steps, writes };
    const score = scoreCase(bookingCase, observation);
    expect(score.compliant).toBe(false);
    expect(score.reasons).toContainEqual({
      code: 'write_without_yes',
      severity: 'fail',
      detail: 'confirm_appointment of project 12350 was made without any confirmation',
    });
    expect(score.trajectory.inOrder).toBe(true);
  });
});

describe('operationOf', () => {
  it("names an action group's API path by its operationId, whatever the case of the verb", () => {
    expect(operationOf('scheduling', 'post', '/confirm-appointment')).toBe('confirm_appointment');
    expect(operationOf('notes', 'GET', '/list-notes')).toBe('list_notes');
    // A group named otherwise on the stage: the path still names the operation.
    expect(operationOf('SchedulingActions', 'GET', '/get-time-slots')).toBe('get_time_slots');
    expect(operationOf('scheduling', 'DELETE', '/drop-everything')).toBe('DELETE /drop-everything');
  });
});

describe('tracingClient', () => {
  const agent = mockClient(BedrockAgentRuntimeClient);
  beforeEach(() => agent.reset());

  it('hands every completion event to the sink as the chat reads it, and passes the stream on unchanged', async () => {
    const events = [...askedToBook.map((e) => e.event)];
    agent.on(InvokeAgentCommand).callsFake(async () => ({ completion: completion(events), sessionId: 'session-1' }));
    const seen: ResponseStream[] = [];
    const client = tracingClient(new BedrockAgentRuntimeClient({ region: 'us-east-1' }), (e) => seen.push(e));
    const input = { agentId: 'SUPERV0001', agentAliasId: 'ALIASSUP01', sessionId: 'session-1', enableTrace: true };
    const output = (await client.send(new InvokeAgentCommand(input))) as InvokeAgentCommandOutput;
    expect(output.sessionId).toBe('session-1');
    const read: ResponseStream[] = [];
    for await (const event of output.completion ?? []) read.push(event);
    expect(read).toEqual(events);
    expect(seen).toEqual(events);
    expect(agent.commandCalls(InvokeAgentCommand)[0]?.args[0].input).toEqual(input);
  });

  it('passes an answer without a completion through', async () => {
    agent.on(InvokeAgentCommand).resolves({ sessionId: 'session-2' } as never);
    const seen: ResponseStream[] = [];
    const client = tracingClient(new BedrockAgentRuntimeClient({ region: 'us-east-1' }), (e) => seen.push(e));
    const output = await client.send(
      new InvokeAgentCommand({ agentId: 'A', agentAliasId: 'B', sessionId: 'session-2' }),
    );
    expect(output).toMatchObject({ sessionId: 'session-2' });
    expect(seen).toEqual([]);
  });
});

describe('resolveClassicStage', () => {
  const lambda = mockClient(LambdaClient);
  beforeEach(() => lambda.reset());
  const client = () => new LambdaClient({ region: 'us-east-1' });

  it("reads the supervisor alias and the sessions table from the stage's chat function, the mock mode from scheduling", async () => {
    lambda
      .on(GetFunctionConfigurationCommand, { FunctionName: 'pf360-agent-dev-chat' })
      .resolves({
        Environment: {
          Variables: { AGENT_ID: 'SUPERV0001', AGENT_ALIAS_ID: 'ALIASSUP01', SESSIONS_TABLE: 'pf360-dev-sessions' },
        },
      })
      .on(GetFunctionConfigurationCommand, { FunctionName: 'pf360-agent-dev-scheduling' })
      .resolves({ Environment: { Variables: { USE_MOCK_API: 'true', DEFAULT_TIME_ZONE: 'America/Chicago' } } });
    await expect(resolveClassicStage('dev', 'us-east-1', client())).resolves.toEqual({
      stage: 'dev',
      region: 'us-east-1',
      agentId: 'SUPERV0001',
      agentAliasId: 'ALIASSUP01',
      sessionsTable: 'pf360-dev-sessions',
      mock: true,
      defaultTimeZone: 'America/Chicago',
    });
  });

  it('says what to do when the stage is not deployed, has no credentials, or is not on Classic', async () => {
    const named = (name: string) => Object.assign(new Error(name), { name });
    lambda.on(GetFunctionConfigurationCommand).rejects(named('ResourceNotFoundException'));
    await expect(resolveClassicStage('qa', 'us-east-1', client())).rejects.toThrow(
      new StageError(
        'pf360-agent-qa-chat does not exist in us-east-1: deploy the stage first (npx sls deploy --stage qa).',
      ),
    );
    lambda.reset();
    lambda.on(GetFunctionConfigurationCommand).rejects(named('CredentialsProviderError'));
    await expect(resolveClassicStage('qa', 'us-east-1', client())).rejects.toThrow(/^no AWS credentials found/);
    lambda.reset();
    lambda.on(GetFunctionConfigurationCommand).resolves({ Environment: { Variables: { AGENT_RUNTIME_ARN: 'arn' } } });
    await expect(resolveClassicStage('qa', 'us-east-1', client())).rejects.toThrow(
      "pf360-agent-qa-chat has no AGENT_ID, AGENT_ALIAS_ID or SESSIONS_TABLE: is the stage's chat on Bedrock Agents (Classic)?",
    );
  });
});

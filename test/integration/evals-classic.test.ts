/**
 * `npm run eval -- --platform classic` without a deployed stage: the evaluation's Classic lane
 * (scripts/eval/classic.ts) plays a golden conversation through the real chat handler, its
 * sessions in DynamoDB Local, against a Bedrock Agents supervisor stubbed with
 * aws-sdk-client-mock that streams what a deployed one streams with traces on. The lane asks for
 * traces, answers the confirmation Bedrock returns control for, reads the trajectory from the
 * traces, and the case is scored like any other.
 */
import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type InvokeAgentCommandInput,
  type ResponseStream,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCases, onCalendar } from '../../scripts/eval/cases.js';
import { type ClassicStage, openClassicLane } from '../../scripts/eval/classic.js';
import { scoreCase } from '../../scripts/eval/score.js';
import type { EvalCase } from '../../scripts/eval/types.js';
import { completion } from '../helpers/chat.js';
import { action, askToConfirm, finalAnswer, supervisorRouting } from '../helpers/classic-traces.js';

const client = new BedrockAgentRuntimeClient({ region: 'us-east-1' });
const agent = mockClient(client);

const stage: ClassicStage = {
  stage: 'dev',
  region: 'us-east-1',
  agentId: 'SUPERV0001',
  agentAliasId: 'ALIASSUP01',
  sessionsTable: process.env.SESSIONS_TABLE ?? '',
  mock: true,
  defaultTimeZone: 'America/New_York',
};

const booking = { project_id: '12350', date: '2026-12-04', time: '10:00 AM' };
const projects = { projects: [{ project_id: '12350', order_number: 'ORD-2026-003', category: 'Roofing' }] };

/** What the supervisor streams for the customer's message, and for their answer to the confirmation. */
function supervisor(options: { asks: boolean }) {
  const message: ResponseStream[] = [
    ...supervisorRouting('sup-0'),
    ...action('col-0', 'list_projects', {}, projects),
    ...action('col-1', 'get_available_dates', { project_id: '12350' }, { available_dates: ['2026-12-04'] }),
    ...action('col-2', 'get_time_slots', { project_id: '12350', date: '2026-12-04' }, { slots: ['10:00 AM'] }),
  ];
  const done = [
    ...action('col-5', 'get_appointment_status', { project_id: '12350' }, { scheduled_date: '2026-12-04' }),
    finalAnswer('ORD-2026-003, Roofing, is tentatively scheduled for Friday, December 4 at 10:00 AM.'),
  ];
  return options.asks
    ? {
        message: [...message, askToConfirm('inv-1', 'confirm_appointment', booking)],
        answer: [...action('col-4', 'confirm_appointment', booking, { status: 'success' }), ...done],
      }
    : // A supervisor whose write is not marked x-requireConfirmation: it books in the first turn.
      { message: [...message, ...action('col-4', 'confirm_appointment', booking, { status: 'success' }), ...done] };
}

function stub(streams: { message: ResponseStream[]; answer?: ResponseStream[] }) {
  agent.on(InvokeAgentCommand).callsFake(async (input: InvokeAgentCommandInput) => ({
    completion: completion(
      (input.sessionState?.returnControlInvocationResults ? streams.answer : streams.message) ?? [finalAnswer('?')],
    ),
  }));
}

const bookRoof = onCalendar(loadCases().find((c) => c.id === 'book-roof-specific') as EvalCase, 0);

beforeEach(() => agent.reset());

describe('the Classic lane of the evaluation', () => {
  it('asks for traces, answers the confirmation and scores the trajectory read from them', async () => {
    stub(supervisor({ asks: true }));
    const lane = openClassicLane(stage, { env: process.env, agentClient: client });
    const { observation } = await lane.run(bookRoof);
    const invocations = agent.commandCalls(InvokeAgentCommand).map((call) => call.args[0].input);
    expect(invocations.map((i) => i.enableTrace)).toEqual([true, true]);
    expect(invocations.map((i) => [i.agentId, i.agentAliasId])).toEqual([
      ['SUPERV0001', 'ALIASSUP01'],
      ['SUPERV0001', 'ALIASSUP01'],
    ]);
    expect(invocations[1]?.sessionState?.returnControlInvocationResults).toEqual([
      expect.objectContaining({ apiResult: expect.objectContaining({ confirmationState: 'CONFIRM' }) }),
    ]);
    expect(observation.harnessError).toBeUndefined();
    expect(observation.calls.map((c) => c.tool)).toEqual([
      'list_projects',
      'get_available_dates',
      'get_time_slots',
      'confirm_appointment',
      'get_appointment_status',
    ]);
    expect(observation.steps.map((s) => [s.kind, s.decision])).toEqual([
      ['say', undefined],
      ['answer', 'confirm'],
    ]);
    expect(observation.writes).toEqual([expect.objectContaining({ step: 1, operations: ['confirm_appointment'] })]);
    const score = scoreCase(bookRoof, observation);
    expect(score.reasons.filter((r) => r.severity === 'fail')).toEqual([]);
    expect(score).toMatchObject({ passed: true, compliant: true, trajectory: { inOrder: true, exact: true } });
  });

  it('fails a write the supervisor made without returning control for the yes', async () => {
    stub(supervisor({ asks: false }));
    const lane = openClassicLane(stage, { env: process.env, agentClient: client });
    const { observation } = await lane.run(bookRoof);
    expect(agent.commandCalls(InvokeAgentCommand)).toHaveLength(1);
    const score = scoreCase(bookRoof, observation);
    expect(score.compliant).toBe(false);
    expect(score.reasons).toEqual(
      expect.arrayContaining([
        {
          code: 'write_without_yes',
          severity: 'fail',
          detail: 'confirm_appointment of project 12350 was made without any confirmation',
        },
        {
          code: 'missing_confirmation',
          severity: 'fail',
          detail: 'turn 1: never asked the customer to confirm confirm_appointment',
        },
      ]),
    );
  });
});

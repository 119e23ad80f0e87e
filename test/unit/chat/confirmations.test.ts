import type { ReturnControlPayload } from '@aws-sdk/client-bedrock-agent-runtime';
import { describe, expect, it } from 'vitest';
import {
  changesFromReturnControl,
  confirmationResults,
  describeChanges,
  summarize,
} from '../../../src/chat/confirmations.js';
import type { Session } from '../../../src/domain/session.js';

const session: Session = {
  sessionId: 's-1',
  customerId: '1645975',
  clientId: '09PF05VD',
  clientName: 'projectsforce-validation',
  authToken: 't',
  stage: 'test',
  createdAt: '2026-11-25T15:00:00.000Z',
  expiresAt: 0,
  scheduling: {},
  projects: {
    '12347': {
      category: 'Roofing',
      projectType: 'Installation',
      status: 'Pending',
      orderNumber: 'ORD-2026-002',
      scheduledDate: null,
      scheduledTime: null,
      city: 'Tampa',
      state: 'FL',
      zipcode: '33602',
    },
  },
};

function call(apiPath: string, httpMethod: string, actionGroup: string, values: Record<string, string>) {
  return {
    apiInvocationInput: {
      actionGroup,
      apiPath,
      httpMethod,
      actionInvocationType: 'USER_CONFIRMATION' as const,
      parameters: [],
      requestBody: {
        content: {
          'application/json': {
            properties: Object.entries(values).map(([name, value]) => ({ name, type: 'string', value })),
          },
        },
      },
    },
  };
}

const book = call('/confirm-appointment', 'POST', 'scheduling', {
  project_id: '12347',
  date: '2026-12-02',
  time: '10:00 AM',
});
const note = call('/add-note', 'POST', 'notes', { project_id: '12347', note_text: 'Gate code 1234' });

/** What the chat service shows for a returnControl. */
function pendingFromReturnControl(payload: ReturnControlPayload, on: Session) {
  const { changes, resume } = changesFromReturnControl(payload);
  return { ...describeChanges(changes, on), resume };
}

describe('a returnControl as a pending confirmation', () => {
  it('describes a single change with its values', () => {
    const pending = pendingFromReturnControl({ invocationId: 'inv-1', invocationInputs: [book] }, session);
    expect(pending).toMatchObject({
      operation: 'confirm_appointment',
      summary: 'Book project ORD-2026-002 (Roofing) on Wednesday, December 2, 2026 at 10:00 AM.',
      details: { project_id: '12347', date: '2026-12-02', time: '10:00 AM' },
    });
  });

  it('shows every change when one answer confirms several', () => {
    const pending = pendingFromReturnControl({ invocationId: 'inv-2', invocationInputs: [book, note] }, session);
    expect(pending.operation).toBe('multiple_changes');
    expect(pending.summary).toBe(
      '2 changes: 1) Book project ORD-2026-002 (Roofing) on Wednesday, December 2, 2026 at 10:00 AM. ' +
        '2) Add this note to project ORD-2026-002 (Roofing): "Gate code 1234"',
    );
    expect(pending.details).toEqual({});
    // …and the answer goes to each of them.
    expect(confirmationResults(pending.resume, 'confirm').map((r) => r.apiResult?.apiPath)).toEqual([
      '/confirm-appointment',
      '/add-note',
    ]);
  });

  it.each<[string, ReturnControlPayload]>([
    ['no invocation id', { invocationInputs: [book] }],
    ['no invocations', { invocationId: 'inv-3', invocationInputs: [] }],
    [
      'a result request instead of a confirmation',
      {
        invocationId: 'inv-4',
        invocationInputs: [
          { apiInvocationInput: { ...book.apiInvocationInput, actionInvocationType: 'RESULT' as const } },
        ],
      },
    ],
  ])('refuses a return of control with %s as unexpected_return_control', (_case, payload) => {
    expect(() => pendingFromReturnControl(payload, session)).toThrow(
      expect.objectContaining({ status: 502, errorType: 'unexpected_return_control' }),
    );
  });

  it('names a project id the session does not know as given, never an inherited member', () => {
    const odd = call('/cancel-appointment', 'POST', 'scheduling', { project_id: 'constructor' });
    const pending = pendingFromReturnControl({ invocationId: 'inv-5', invocationInputs: [odd] }, session);
    expect(pending.summary).toBe('Cancel the appointment of project constructor.');
  });
});

describe('summarize', () => {
  it.each([
    [
      'confirm_appointment',
      { project_id: '12347', date: '2026-12-02', time: '10:00 AM' },
      'Book project ORD-2026-002 (Roofing) on Wednesday, December 2, 2026 at 10:00 AM.',
    ],
    [
      'reschedule_appointment',
      { project_id: '12347', date: '2026-12-09', time: '01:00 PM' },
      'Move the appointment of project ORD-2026-002 (Roofing) to Wednesday, December 9, 2026 at 01:00 PM.',
    ],
    ['cancel_appointment', { project_id: '12347' }, 'Cancel the appointment of project ORD-2026-002 (Roofing).'],
    [
      'add_note',
      { project_id: '12347', note_text: 'Gate code 1234' },
      'Add this note to project ORD-2026-002 (Roofing): "Gate code 1234"',
    ],
    ['confirm_appointment', { project_id: '99999' }, 'Book project 99999 on the chosen date at the chosen time.'],
    [
      'reschedule_appointment',
      { date: 'next week' },
      'Move the appointment of the project to next week at the chosen time.',
    ],
    ['add_note', { project_id: '12347' }, 'Add this note to project ORD-2026-002 (Roofing): ""'],
    ['delete_everything', { project_id: '12347' }, 'Run delete_everything for project ORD-2026-002 (Roofing).'],
  ])('says %s with %j as one sentence', (operation, values, sentence) => {
    expect(summarize(operation, values as Record<string, string>, session)).toBe(sentence);
  });

  it('names a project without its order number by its id and category', () => {
    const bare = {
      ...session,
      projects: {
        '5': { ...(session.projects?.['12347'] as NonNullable<Session['projects']>[string]), orderNumber: null },
      },
    };
    expect(summarize('cancel_appointment', { project_id: '5' }, bare)).toBe(
      'Cancel the appointment of project 5 (Roofing).',
    );
  });
});

describe('pendingFromReturnControl refuses what is not a confirmation request', () => {
  it.each([
    ['no invocation id', { invocationInputs: [book] }],
    ['no inputs', { invocationId: 'inv-1', invocationInputs: [] }],
    [
      'a function call, not an API call',
      { invocationId: 'inv-1', invocationInputs: [{ functionInvocationInput: { actionGroup: 'x', function: 'f' } }] },
    ],
    [
      'a plain return of control',
      {
        invocationId: 'inv-1',
        invocationInputs: [
          { apiInvocationInput: { ...book.apiInvocationInput, actionInvocationType: 'RESULT' as const } },
        ],
      },
    ],
  ])('with %s', (_label, payload) => {
    expect(() => pendingFromReturnControl(payload as ReturnControlPayload, session)).toThrow(
      expect.objectContaining({ errorType: 'unexpected_return_control' }),
    );
  });
});

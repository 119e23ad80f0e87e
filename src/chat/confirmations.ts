/**
 * User confirmation for writes (`x-requireConfirmation: ENABLED`): the agent stops at the change
 * it wants to make (Bedrock returns control; the code-defined agent's turn pauses); we keep it as
 * a pending confirmation in the session, show the customer one readable sentence per change, and
 * resume the agent with the customer's answer.
 */
import { randomBytes } from 'node:crypto';
import type { InvocationResultMember, ReturnControlPayload } from '@aws-sdk/client-bedrock-agent-runtime';
import { actionCatalog } from '../../generated/catalog/actions.js';
import { AppError } from '../domain/errors.js';
import type { AgentResume, PendingConfirmation, Session } from '../domain/session.js';
import type { ProposedChange } from './agent-runner.js';

const confirmationTypes = new Set(['USER_CONFIRMATION', 'USER_CONFIRMATION_AND_RESULT']);

function operationIdOf(actionGroup: string, httpMethod: string, apiPath: string): string {
  const group = actionCatalog[actionGroup as keyof typeof actionCatalog];
  return (
    group?.find((op) => op.method === httpMethod.toUpperCase() && op.apiPath === apiPath)?.operationId ??
    `${httpMethod.toUpperCase()} ${apiPath}`
  );
}

function projectLabel(session: Session, projectId: string | undefined): string {
  if (!projectId) return 'the project';
  const cached =
    session.projects && Object.hasOwn(session.projects, projectId) ? session.projects[projectId] : undefined;
  return cached ? `project ${cached.orderNumber ?? projectId} (${cached.category})` : `project ${projectId}`;
}

/** Built once: making an Intl.DateTimeFormat costs far more than using one. */
const longDateFormat = new Intl.DateTimeFormat('en-US', {
  weekday: 'long',
  month: 'long',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});

function longDate(date: string | undefined): string {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return date ?? 'the chosen date';
  return longDateFormat.format(new Date(`${date}T12:00:00Z`));
}

/** One sentence the customer can say yes or no to. */
export function summarize(operation: string, values: Record<string, string>, session: Session): string {
  const project = projectLabel(session, values.project_id);
  switch (operation) {
    case 'confirm_appointment':
      return `Book ${project} on ${longDate(values.date)} at ${values.time ?? 'the chosen time'}.`;
    case 'reschedule_appointment':
      return `Move the appointment of ${project} to ${longDate(values.date)} at ${values.time ?? 'the chosen time'}.`;
    case 'cancel_appointment':
      return `Cancel the appointment of ${project}.`;
    case 'add_note':
      return `Add this note to ${project}: "${values.note_text ?? ''}"`;
    default:
      return `Run ${operation} for ${project}.`;
  }
}

/** A tool call as the change it would make: its values as text, for the summary and details. */
export function proposedChange(tool: string, input: Record<string, unknown>): ProposedChange {
  return {
    operation: tool,
    values: Object.fromEntries(
      Object.entries(input).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    ),
  };
}

export function newConfirmationId(): string {
  return `c-${randomBytes(16).toString('base64url')}`;
}

/**
 * What the customer is asked about: one sentence per change (one "yes" confirms them all, so the
 * summary shows every one), the operation, and the values of a single change.
 */
export function describeChanges(
  changes: readonly ProposedChange[],
  session: Session,
): Pick<PendingConfirmation, 'operation' | 'summary' | 'details'> {
  const [only] = changes;
  if (changes.length === 1 && only !== undefined) {
    const details = Object.fromEntries(
      ['project_id', 'date', 'time', 'note_text']
        .filter((k) => only.values[k] !== undefined)
        .map((k) => [k, only.values[k] as string]),
    );
    return { operation: only.operation, summary: summarize(only.operation, only.values, session), details };
  }
  const summary = `${changes.length} changes: ${changes.map((c, i) => `${i + 1}) ${summarize(c.operation, c.values, session)}`).join(' ')}`;
  return { operation: 'multiple_changes', summary, details: {} };
}

/** Bedrock's returnControl as the changes it asks about; anything but a confirmation request is an error. */
export function changesFromReturnControl(payload: ReturnControlPayload): {
  changes: ProposedChange[];
  resume: Extract<AgentResume, { kind: 'returnControl' }>;
} {
  const inputs = payload.invocationInputs ?? [];
  const apis = inputs.map((input) => input.apiInvocationInput);
  if (
    !payload.invocationId ||
    apis.length === 0 ||
    apis.some((api) => !api || !confirmationTypes.has(api.actionInvocationType ?? ''))
  ) {
    throw new AppError('unexpected_return_control');
  }
  const invocations = apis.map((api) => ({
    actionGroup: api?.actionGroup ?? '',
    apiPath: api?.apiPath ?? '',
    httpMethod: api?.httpMethod ?? '',
    ...(api?.agentId ? { agentId: api.agentId } : {}),
  }));
  const changes = apis.map((api) => {
    const values: Record<string, string> = {};
    for (const p of [
      ...(api?.parameters ?? []),
      ...(api?.requestBody?.content?.['application/json']?.properties ?? []),
    ]) {
      if (p.name && typeof p.value === 'string') values[p.name] = p.value;
    }
    return { operation: operationIdOf(api?.actionGroup ?? '', api?.httpMethod ?? '', api?.apiPath ?? ''), values };
  });
  return { changes, resume: { kind: 'returnControl', invocationId: payload.invocationId, invocations } };
}

export function confirmationResults(
  resume: Extract<AgentResume, { kind: 'returnControl' }>,
  decision: 'confirm' | 'deny',
): InvocationResultMember[] {
  return resume.invocations.map((invocation) => ({
    apiResult: {
      actionGroup: invocation.actionGroup,
      apiPath: invocation.apiPath,
      httpMethod: invocation.httpMethod,
      confirmationState: decision === 'confirm' ? 'CONFIRM' : 'DENY',
      ...(invocation.agentId ? { agentId: invocation.agentId } : {}),
    },
  }));
}

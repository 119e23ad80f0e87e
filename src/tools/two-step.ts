/**
 * Writes in two calls, for the surfaces where nothing of ours stands between the model and a tool
 * — the AgentCore Gateway target and MCP servers. A description that says "ask the customer
 * first" is only words to the model; this is a step the backend can check:
 *
 * 1. A write tool called without `confirmation_id` changes nothing. The operation is checked (its
 *    dry run: validation, session, ownership, offered dates and slots), so a change that would be
 *    refused is refused now; otherwise the question is stored in the session as its pending
 *    confirmation — the same sentence the chat shows (chat/confirmations.ts) — and the answer is
 *    `{ confirmation_required: true, confirmation_id, summary, … }`.
 * 2. The same tool with the same arguments plus that `confirmation_id` makes the change. The id
 *    is bound to the session (it is looked up there), to the tool and to the arguments' digest,
 *    expires after a few minutes, and is taken atomically, so it works once.
 *
 * One question waits per session: asking about another change replaces it. Reads run at once.
 */
import { mcpTools } from '../../generated/catalog/mcp-tools.js';
import type { InvocationContext } from '../bedrock/dispatch.js';
import { describeChanges, newConfirmationId, proposedChange } from '../chat/confirmations.js';
import { AppError, toErrorResponse, validationError } from '../domain/errors.js';
import type { PendingConfirmation } from '../domain/session.js';
import type { SessionStore } from '../ports/session-store.js';
import { inputDigest } from './input-digest.js';
import { type ToolInvoker, type ToolResult, writeTools } from './invoke-tool.js';
import { confirmationIdName, confirmationIdProperty, confirmationLifetimeMinutes } from './two-step-schema.js';

type McpTool = (typeof mcpTools)[number]['tool'];

/**
 * The tools as the two-step surfaces list them: the catalog's, with `confirmation_id` added to
 * the write tools' input (never required: the first call goes without it).
 */
export const twoStepTools: readonly McpTool[] = mcpTools.map(({ tool }) =>
  writeTools.has(tool.name)
    ? ({
        ...tool,
        inputSchema: {
          ...tool.inputSchema,
          properties: { ...tool.inputSchema.properties, [confirmationIdName]: confirmationIdProperty },
        },
      } as McpTool)
    : tool,
);

const declared = new Map<string, ReadonlySet<string>>(
  twoStepTools.map((tool) => [tool.name, new Set(Object.keys(tool.inputSchema.properties))]),
);

/**
 * Only the arguments the tool declares on these surfaces. Anything else a caller adds — a
 * customer or client id, a session id, the Gateway identity `_pf360` — is dropped here, before
 * the operation sees it: identity comes from the verified token alone.
 */
export function toolArguments(tool: string, raw: unknown): Record<string, unknown> {
  const names = declared.get(tool);
  if (!names || !raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  return Object.fromEntries(Object.entries(raw).filter(([name]) => names.has(name)));
}

/** What the first call of a write answers: the question to put to the customer. */
export interface ConfirmationRequired {
  confirmation_required: true;
  confirmation_id: string;
  operation: string;
  summary: string;
  details: Record<string, string>;
  expires_at: string;
  next_step: string;
}

export interface TwoStepCall {
  tool: string;
  /** The call's arguments, `confirmation_id` included (undeclared ones are dropped: toolArguments). */
  args: unknown;
  /** The session of the verified customer this call works in. */
  sessionId: string;
  invoke: ToolInvoker;
  sessions: Pick<SessionStore, 'get' | 'update' | 'takePendingConfirmation'>;
  clock: () => Date;
  /** The invocation's budget and request id (never `dryRun`: that is this module's to set). */
  context?: Omit<InvocationContext, 'dryRun'>;
}

const confirmationIdPattern = /^c-[A-Za-z0-9_-]{1,64}$/;
const lifetimeMs = confirmationLifetimeMinutes * 60_000;

/** The confirmation id the caller sent, if any; an empty string counts as none (a model filling every field). */
function confirmationIdOf(args: Record<string, unknown>): string | undefined {
  const value = args[confirmationIdName];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') {
    throw validationError(
      `${confirmationIdName} must be the confirmation_id text a first call of this tool returned.`,
      confirmationIdName,
    );
  }
  return value;
}

function notPending(tool: string): AppError {
  return new AppError(
    'confirmation_not_found',
    `This confirmation_id is not pending (already used, replaced by a newer question, or never issued), so nothing was changed. Call ${tool} again without confirmation_id to ask the customer again.`,
  );
}

/** Runs one tool call: a read at once, a write only as the second of its two calls. */
export async function runWithConfirmation(call: TwoStepCall): Promise<ToolResult> {
  const { tool, sessionId, invoke, context } = call;
  const all = toolArguments(tool, call.args);
  const { [confirmationIdName]: _confirmation, ...args } = all;
  if (!writeTools.has(tool)) return invoke(tool, args, sessionId, context);
  try {
    const confirmationId = confirmationIdOf(all);
    return confirmationId === undefined ? await ask(call, args) : await confirm(call, args, confirmationId);
  } catch (error) {
    // A refusal is the call's answer; anything else is the caller's to log and answer.
    if (error instanceof AppError) return toErrorResponse(error);
    throw error;
  }
}

/** The first call: check the change, store the question, change nothing. */
async function ask(call: TwoStepCall, args: Record<string, unknown>): Promise<ToolResult> {
  const { tool, sessionId, sessions } = call;
  const checked = await call.invoke(tool, args, sessionId, { ...call.context, dryRun: true });
  if (checked.status >= 400) return checked;
  // The dry run found the session live; read it for the project labels of the summary.
  const session = await sessions.get(sessionId);
  if (!session) throw new AppError('session_missing');
  const now = call.clock();
  const pending: PendingConfirmation = {
    confirmationId: newConfirmationId(),
    ...describeChanges([proposedChange(tool, args)], session),
    resume: { kind: 'toolCall', tool, inputDigest: inputDigest(tool, args) },
    createdAt: now.toISOString(),
  };
  await sessions.update(sessionId, { pendingConfirmation: pending }, now);
  const body: ConfirmationRequired = {
    confirmation_required: true,
    confirmation_id: pending.confirmationId,
    operation: pending.operation,
    summary: pending.summary,
    details: pending.details,
    expires_at: new Date(now.getTime() + lifetimeMs).toISOString(),
    next_step: `Nothing has been changed yet. Read the summary to the customer; only if they say yes, call ${tool} again with the same arguments and this ${confirmationIdName}.`,
  };
  return { status: 200, body: { ...body } };
}

/** The second call: the question this id names must be pending, this change's, and fresh; it is then used up. */
async function confirm(call: TwoStepCall, args: Record<string, unknown>, confirmationId: string): Promise<ToolResult> {
  const { tool, sessionId, sessions } = call;
  if (!confirmationIdPattern.test(confirmationId)) throw notPending(tool);
  const now = call.clock();
  // Checked before it is taken: a call with other arguments is refused and leaves the question
  // open, so the change the customer said yes to can still be made.
  const pending = (await sessions.get(sessionId))?.pendingConfirmation;
  if (pending?.confirmationId !== confirmationId) throw notPending(tool);
  const { resume } = pending;
  if (resume.kind !== 'toolCall' || resume.tool !== tool || resume.inputDigest !== inputDigest(tool, args)) {
    throw new AppError('confirmation_mismatch');
  }
  if (Date.parse(pending.createdAt) + lifetimeMs <= now.getTime()) throw new AppError('confirmation_expired');
  // Atomic and single use: of two calls with the same id, one makes the change.
  if (!(await sessions.takePendingConfirmation(sessionId, confirmationId, now))) throw notPending(tool);
  return call.invoke(tool, args, sessionId, call.context);
}

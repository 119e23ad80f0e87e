/**
 * The code-defined agent as the chat backend runs it, in-process (the local stack) or inside the
 * AgentCore runtime: each turn builds the agent from the stored conversation, streams the words
 * out as the model writes them, and stores the conversation again — so a confirmation answered
 * by another process (another Lambda instance, another runtime session) resumes the paused turn.
 * A turn that waits for the customer stops at the write; the customer's yes or no resumes it.
 */
import type { AgentResult, Model } from '@strands-agents/sdk';
import {
  type AgentReply,
  type AgentRunner,
  AgentTurnError,
  type ProposedChange,
  type TurnSink,
} from '../chat/agent-runner.js';
import { proposedChange } from '../chat/confirmations.js';
import { AppError } from '../domain/errors.js';
import type { AgentResume, Session } from '../domain/session.js';
import { dateIn, weekdayOf } from '../domain/time.js';
import type { Logger } from '../observability/logger.js';
import type { ConversationStore, StoredConversation } from '../ports/conversation-store.js';
import { type ToolInvoker, writeTools } from '../tools/invoke-tool.js';
import { answers, type ChangeQuestion, closeQuietly, createAssistant } from './assistant.js';
import { modelError } from './model-errors.js';
import { operationTools } from './tools.js';

export interface CodeAgentRunnerDeps {
  model: Model;
  invoke: ToolInvoker;
  conversations: ConversationStore;
  /** The turn's deadline, model calls and tools together. */
  timeoutMs: number;
  defaultTimeZone: string;
  clock: () => Date;
  logger: Logger;
}

type Agent = ReturnType<typeof createAssistant>;

/** What one run of the agent did: its result, its words, and whether a change may have been made. */
interface Run {
  result: AgentResult;
  text: string;
  changed: boolean;
}

/** The snapshot the SDK can restore. The system prompt is left out: the code's own always wins. */
function snapshotOf(agent: Agent): string {
  return JSON.stringify(agent.takeSnapshot({ preset: 'session', exclude: ['systemPrompt'] }));
}

export class CodeAgentRunner implements AgentRunner {
  constructor(private readonly deps: CodeAgentRunnerDeps) {}

  /** The agent for this session, carrying on its stored conversation; `changed` is set when a write tool runs. */
  private agentFor(session: Session, stored: StoredConversation | undefined, changes: { ran: boolean }): Agent {
    const invoke: ToolInvoker = (name, input, sessionId, context) => {
      // Called for a write only after the customer's yes (the hook holds it back otherwise).
      if (writeTools.has(name)) changes.ran = true;
      return this.deps.invoke(name, input, sessionId, context);
    };
    const timeZone = session.timeZone ?? this.deps.defaultTimeZone;
    const today = dateIn(this.deps.clock(), timeZone);
    const agent = createAssistant({
      model: this.deps.model,
      tools: operationTools(invoke, session.sessionId),
      check: async (tool, input) => {
        const { status, body } = await this.deps.invoke(tool, input, session.sessionId, { dryRun: true });
        return status < 400 ? undefined : body;
      },
      context: {
        today,
        weekday: weekdayOf(today),
        timeZone,
        ...(session.firstName ? { firstName: session.firstName } : {}),
      },
    });
    if (stored) agent.loadSnapshot(JSON.parse(stored.snapshot));
    return agent;
  }

  /** One run of the agent, its text streamed to `sink` (successive model answers kept apart). */
  private async run(
    agent: Agent,
    input: Parameters<Agent['stream']>[0],
    sink: TurnSink,
    changes: { ran: boolean },
    invocationState: Record<string, boolean> = {},
  ): Promise<Run> {
    const signal = AbortSignal.timeout(this.deps.timeoutMs);
    const stream = agent.stream(input, { cancelSignal: signal, invocationState });
    let text = '';
    let separate = false;
    for (;;) {
      const next = await stream.next();
      if (next.done) {
        if (next.value.stopReason === 'cancelled' && signal.aborted) throw new AppError('agent_timeout');
        return { result: next.value, text, changed: changes.ran };
      }
      const event = next.value;
      if (event.type !== 'modelStreamUpdateEvent') continue;
      if (event.event.type === 'modelMessageStartEvent') separate = text !== '';
      else if (event.event.type === 'modelContentBlockDeltaEvent' && event.event.delta.type === 'textDelta') {
        const piece = `${separate ? '\n\n' : ''}${event.event.delta.text}`;
        separate = false;
        text += piece;
        sink.text(piece);
      }
    }
  }

  /** Stores the conversation and answers with the turn's text, or with the changes it waits for. */
  private async finish(
    session: Session,
    agent: Agent,
    stored: StoredConversation | undefined,
    run: Run,
  ): Promise<AgentReply> {
    const paused = run.result.stopReason === 'interrupt' ? (run.result.interrupts ?? []) : [];
    await this.deps.conversations.save(
      session.sessionId,
      { snapshot: snapshotOf(agent), interrupts: paused.map((i) => i.id), unfinished: false },
      stored?.version,
      this.deps.clock(),
    );
    if (paused.length === 0) return { text: run.text };
    const questions = paused.map((i) => ({ interruptId: i.id, question: i.reason as unknown as ChangeQuestion }));
    const changes: ProposedChange[] = questions.map(({ question }) => proposedChange(question.tool, question.input));
    return {
      text: run.text,
      confirmation: {
        changes,
        resume: {
          kind: 'interrupts',
          interrupts: questions.map(({ interruptId, question }) => ({
            interruptId,
            tool: question.tool,
            inputDigest: question.inputDigest,
          })),
        },
      },
    };
  }

  /**
   * A run that failed. If a change ran before the failure, the conversation is stored marked
   * unfinished (the agent finishes that turn before the next message: re-running it would make the
   * change twice); otherwise nothing is stored and the conversation stays as it was.
   */
  private async failed(
    session: Session,
    agent: Agent,
    stored: StoredConversation | undefined,
    error: unknown,
    changed: boolean,
  ): Promise<never> {
    const mapped = modelError(error);
    this.deps.logger.warn('agent turn failed', { error_type: mapped.errorType, change_made: changed });
    if (changed) {
      await this.deps.conversations
        .save(
          session.sessionId,
          { snapshot: snapshotOf(agent), interrupts: [], unfinished: true },
          stored?.version,
          this.deps.clock(),
        )
        .catch((saveError: unknown) =>
          this.deps.logger.error('conversation not stored after a change', { cause: (saveError as Error)?.name }),
        );
    }
    throw new AgentTurnError(mapped, !changed);
  }

  /** Settles what the stored conversation left open before a new message: a question not answered, a turn not finished. */
  private async settle(agent: Agent, stored: StoredConversation, changes: { ran: boolean }): Promise<void> {
    const quiet = { text: () => undefined };
    if (stored.interrupts.length > 0) {
      // The customer moved on without answering: the paused changes are refused, not made.
      const refusals = answers(
        stored.interrupts.map((interruptId) => ({ interruptId, inputDigest: '' })),
        undefined,
      );
      await this.run(agent, refusals, quiet, changes, { [closeQuietly]: true });
    }
    if (stored.unfinished) await this.run(agent, [], quiet, changes);
  }

  async send(session: Session, message: string, sink: TurnSink): Promise<AgentReply> {
    const stored = await this.deps.conversations.load(session.sessionId);
    const changes = { ran: false };
    const agent = this.agentFor(session, stored, changes);
    try {
      if (stored) await this.settle(agent, stored, changes);
      const run = await this.run(agent, message, sink, changes);
      return await this.finish(session, agent, stored, run);
    } catch (error) {
      if (error instanceof AgentTurnError) throw error;
      return this.failed(session, agent, stored, error, changes.ran);
    }
  }

  async answer(
    session: Session,
    resume: AgentResume,
    decision: 'confirm' | 'deny',
    sink: TurnSink,
  ): Promise<AgentReply> {
    const stored = await this.deps.conversations.load(session.sessionId);
    const waiting =
      resume.kind === 'interrupts' &&
      stored &&
      resume.interrupts.every((i) => stored.interrupts.includes(i.interruptId));
    // Not the turn this conversation is paused at (stored before a deploy, or answered elsewhere).
    if (!waiting) throw new AppError('confirmation_not_found');
    const changes = { ran: false };
    const agent = this.agentFor(session, stored, changes);
    try {
      const run = await this.run(agent, answers(resume.interrupts, decision === 'confirm'), sink, changes);
      return await this.finish(session, agent, stored, run);
    } catch (error) {
      if (error instanceof AgentTurnError) throw error;
      return this.failed(session, agent, stored, error, changes.ran);
    }
  }
}

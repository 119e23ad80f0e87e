/**
 * The code-defined agent: one Strands agent with the 13 operations as tools and the instructions
 * of agents/instructions/assistant.md. A write tool (its operation marked x-requireConfirmation)
 * never runs on the model's say-so: a BeforeToolCallEvent hook first checks it (the operation's
 * dry run: a change that cannot be made is refused at once), then interrupts the turn, and only a
 * resume carrying the customer's yes — for exactly the input they were shown — lets it run.
 */
import {
  AfterToolsEvent,
  Agent,
  BeforeToolCallEvent,
  type InterruptResponseContentData,
  type JSONValue,
  type Model,
  type Tool,
} from '@strands-agents/sdk';
import { assistantInstructions } from '../../generated/catalog/agent-instructions.js';
import { inputDigest } from '../tools/input-digest.js';
import { writeTools } from '../tools/invoke-tool.js';

/** What a paused write asks the customer about; `reason` of its interrupt. */
export interface ChangeQuestion {
  tool: string;
  input: Record<string, JSONValue>;
  inputDigest: string;
}

/** The customer's answer, given back to the hook on resume. */
export interface ChangeAnswer {
  approved: boolean;
  /** The digest of the input the customer saw: a resumed call with any other input is refused. */
  inputDigest: string;
}

export const declined =
  'The customer declined this change, so nothing was changed. Do not make it again unless they ask for it.';
export const movedOn =
  'The customer sent a new message instead of confirming this change, so nothing was changed. Answer their new message.';
const mismatch =
  'This change is not the one the customer confirmed, so nothing was changed. Ask them to confirm the change again.';

/** Invocation state that ends the run after its tools, without a model call (see createAssistant). */
export const closeQuietly = 'pf360.closeQuietly';

export interface AssistantOptions {
  model: Model;
  tools: Tool[];
  /**
   * Checks a write without making it (the operation's dry run): an error body when it cannot be
   * made, so that the customer is never asked to confirm a change that would be refused.
   */
  check: (tool: string, input: unknown) => Promise<object | undefined>;
  /** Today, the zone and the customer's name: the context the instructions refer to. */
  context: { today: string; weekday: string; timeZone: string; firstName?: string };
}

function systemPrompt(context: AssistantOptions['context']): string {
  const name = context.firstName ? ` The customer's first name is ${context.firstName}.` : '';
  return `${assistantInstructions}\n# Today\n\nToday is ${context.weekday}, ${context.today}, in the customer's time zone ${context.timeZone}.${name}\n`;
}

export function createAssistant(options: AssistantOptions): Agent {
  const agent = new Agent({
    model: options.model,
    tools: options.tools,
    systemPrompt: systemPrompt(options.context),
    // A server: nothing on stdout, no hidden retries (a turn has a deadline and the customer is
    // told to try again), and one tool at a time so that each change gets its own question.
    printer: false,
    retryStrategy: null,
    toolExecutor: 'sequential',
  });
  agent.addHook(BeforeToolCallEvent, async (event) => {
    const tool = event.toolUse.name;
    if (!writeTools.has(tool)) return;
    const input = (event.toolUse.input ?? {}) as Record<string, JSONValue>;
    const refused = await options.check(tool, input);
    if (refused) {
      // The model gets the operation's own error (bad input, not this customer's project, a
      // slot never offered…) as the tool's result; nothing was asked, nothing changed.
      event.cancel = JSON.stringify(refused);
      return;
    }
    const digest = inputDigest(tool, input);
    // The first pass stops the turn here; on resume the call returns the customer's answer.
    const answer = event.interrupt<ChangeAnswer | undefined>({
      name: 'confirm_change',
      reason: { tool, input, inputDigest: digest } satisfies ChangeQuestion as unknown as JSONValue,
    });
    if (answer?.approved !== true) event.cancel = answer ? declined : movedOn;
    else if (answer.inputDigest !== digest) event.cancel = mismatch;
  });
  // Refusing a paused change because the customer moved on needs no words from the model: the
  // turn ends on this note and their new message follows.
  agent.addHook(AfterToolsEvent, (event) => {
    if (event.invocationState[closeQuietly] === true) event.endTurn = 'I did not make that change.';
  });
  return agent;
}

/** The interrupt responses that answer a paused turn: `approved`, or a refusal (undefined: the customer moved on). */
export function answers(
  interrupts: readonly { interruptId: string; inputDigest: string }[],
  approved: boolean | undefined,
): InterruptResponseContentData[] {
  return interrupts.map((i) => ({
    interruptResponse: {
      interruptId: i.interruptId,
      response: (approved === undefined ? null : { approved, inputDigest: i.inputDigest }) as JSONValue,
    },
  }));
}

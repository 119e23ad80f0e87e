/**
 * Plays a case's customer against the chat API: each turn's message, then — while the answer is
 * `confirmation_required` — the customer's answer to each question. A question the case expects
 * (the same change: operation and the values that matter) gets the case's answer (`ignore`: the
 * customer writes their next message instead); any other question gets "no", as a customer asked
 * to approve a change they did not ask for would answer. Every request is one step of the
 * observation; the platform is told when each starts and ends, so it can attribute tool calls
 * and PF360 writes to it.
 */
import { confirmationVerdict } from './score.js';
import type { AskedConfirmation, EvalCase, ObservedStep } from './types.js';

/** The chat API's answer: its status and body (openapi/chat.yaml). */
export interface ChatAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface ChatClient {
  /** POST /chat, carrying on the conversation's session after the first message. */
  say(message: string): Promise<ChatAnswer>;
  /** POST /chat/confirm. */
  answer(confirmationId: string, decision: 'confirm' | 'deny'): Promise<ChatAnswer>;
}

export interface StepHooks {
  before?(step: number): void;
  after?(step: number): void;
}

/** The most questions one turn may ask before the customer stops answering (a loop of questions). */
const maxQuestionsPerTurn = 6;

function asked(body: Record<string, unknown>): (AskedConfirmation & { id: string }) | undefined {
  if (body.type !== 'confirmation_required') return undefined;
  const c = body.confirmation as {
    confirmation_id: string;
    operation: string;
    summary: string;
    details?: Record<string, string>;
  };
  return { id: c.confirmation_id, operation: c.operation, summary: c.summary, details: c.details ?? {} };
}

function observed(answer: ChatAnswer): Pick<ObservedStep, 'reply' | 'error'> {
  if (answer.status !== 200) {
    return { error: { status: answer.status, error_type: String(answer.body.error_type ?? 'unknown') } };
  }
  const question = asked(answer.body);
  const text = typeof answer.body.reply === 'string' ? answer.body.reply : '';
  if (!question) return { reply: { text } };
  const { id: _id, ...confirmation } = question;
  return { reply: { text, confirmation } };
}

export async function playConversation(c: EvalCase, chat: ChatClient, hooks: StepHooks = {}): Promise<ObservedStep[]> {
  const steps: ObservedStep[] = [];
  const run = async (step: Omit<ObservedStep, 'reply' | 'error'>, call: () => Promise<ChatAnswer>) => {
    const index = steps.length;
    hooks.before?.(index);
    const answer = await call();
    hooks.after?.(index);
    steps.push({ ...step, ...observed(answer) });
    return answer;
  };
  for (const [t, turn] of c.turns.entries()) {
    let answer = await run({ turn: t, kind: 'say', text: turn.say }, () => chat.say(turn.say));
    const wanted = turn.confirmations ?? [];
    let next = 0;
    for (let questions = 0; questions < maxQuestionsPerTurn; questions += 1) {
      const question = answer.status === 200 ? asked(answer.body) : undefined;
      if (!question) break;
      const want = wanted[next];
      const expected = want !== undefined && confirmationVerdict(want, question) === 'match';
      if (expected) next += 1;
      if (expected && want.answer === 'ignore') break;
      const decision = expected ? (want.answer as 'confirm' | 'deny') : 'deny';
      const { id, ...answered } = question;
      answer = await run({ turn: t, kind: 'answer', decision, answered }, () => chat.answer(id, decision));
    }
  }
  return steps;
}

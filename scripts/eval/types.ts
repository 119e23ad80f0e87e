/**
 * The evaluation's two kinds of data: a golden conversation as authored in test/evals/cases/*.yaml
 * (validated by test/evals/case.schema.json), and what one run of it observed — the tool calls
 * the agent made, the confirmations it raised and how they were answered, the PF360 writes, the
 * replies. The scorer (score.ts) compares the two and nothing else: it never runs anything.
 */

/** A value an argument must have: the value itself, one of several, a substring, a pattern, or absent. */
export type ArgMatcher =
  | string
  | number
  | boolean
  | { one_of: (string | number | boolean)[] }
  | { contains: string }
  | { pattern: string }
  | { absent: true };

/** One expected tool call: the tool (or alternatives) and the arguments that matter. */
export interface CallExpectation {
  tool: string | string[];
  args?: Record<string, ArgMatcher>;
}

/** A step of the expected trajectory: one call, or calls that may come in any order among themselves. */
export type TrajectoryStep = CallExpectation | { any_order: CallExpectation[] };

/** A call that must not happen: a tool (`*` for any) and, optionally, the arguments that make it forbidden. */
export interface CallPattern {
  tool: string;
  args?: Record<string, ArgMatcher>;
}

export type Answer = 'confirm' | 'deny' | 'ignore';

/** A confirmation the turn must raise, and the customer's answer (`ignore`: a new message instead). */
export interface ExpectedConfirmation {
  operation: string;
  details?: Record<string, ArgMatcher>;
  answer: Answer;
}

/** Checks on a turn's last reply. */
export interface ReplyChecks {
  /** Every entry must appear (case-insensitive); an entry that is a list is satisfied by any of its items. */
  mentions?: (string | string[])[];
  /** None may appear (case-insensitive). */
  not_mentions?: string[];
  /** Each date (YYYY-MM-DD) must appear, written in any usual way ("December 2", "Dec 2", "12/2", ISO). */
  mentions_dates?: string[];
  /** Every time of day in the reply must have been offered by get_time_slots, or named by the customer. */
  no_invented_slot?: boolean;
}

export interface CaseTurn {
  /** What the customer writes. `{{date:YYYY-MM-DD}}` is written out as "Wednesday, December 2". */
  say: string;
  confirmations?: ExpectedConfirmation[];
  reply?: ReplyChecks;
}

/** The situation a case runs in, made with the local stack's fault-injecting proxy (world.ts). */
export interface World {
  /** Who is signed in: the specs' demo customer (default) or a second customer with one project of their own. */
  customer?: 'demo' | 'second';
  pf360?: 'down' | 'scheduler_down' | 'no_open_dates' | 'booking_fails';
  weather?: 'storm_week' | 'down';
  notes?: 'injected';
}

export const caseCategories = [
  'booking',
  'rescheduling',
  'cancelling',
  'denied',
  'information',
  'weather',
  'notes',
  'ambiguity',
  'availability',
  'outage',
  'foreign_project',
  'injection',
  'privacy',
  'scope',
  'change_of_mind',
] as const;
export type CaseCategory = (typeof caseCategories)[number];

export interface EvalCase {
  id: string;
  title: string;
  category: CaseCategory;
  world?: World;
  turns: CaseTurn[];
  expected: {
    /** The calls that matter, in order; other read calls may come in between (see score.ts). */
    trajectory: TrajectoryStep[];
    /** Tools whose extra calls are fine (a second list_projects, a status check after a change). */
    may_also_call?: string[];
    must_not_call?: CallPattern[];
    /** The agent must refuse: no write tool may be called, and the reply checks say how it refuses. */
    refusal?: boolean;
    /** Strings no PF360 request path may contain (another customer's project or id). */
    pf360_untouched?: string[];
  };
}

/** A confirmation as the chat API asked it (`confirmation_required`). */
export interface AskedConfirmation {
  operation: string;
  summary: string;
  details: Record<string, string>;
}

export interface ObservedCall {
  tool: string;
  input: Record<string, unknown>;
  /** The chat request (index into `steps`) during which the model asked for the call. */
  step: number;
  /** The tool's result, when the run saw it: its status and body. */
  result?: { status: 'success' | 'error'; body: unknown };
}

export interface ObservedStep {
  /** Index into the case's turns. */
  turn: number;
  kind: 'say' | 'answer';
  /** The customer's words (say) — kept for the invented-slot check. */
  text?: string;
  decision?: 'confirm' | 'deny';
  /** An answer: the confirmation it answered. */
  answered?: AskedConfirmation;
  reply?: { text: string; confirmation?: AskedConfirmation };
  error?: { status: number; error_type: string };
}

/** A change that reached PF360 (local: the proxy saw it) or ran as an action (Classic: the trace shows it). */
export interface ObservedWrite {
  step: number;
  /** The tools that make this write (PF360's schedule call serves both booking and moving). */
  operations: string[];
  projectId?: string;
  values?: Record<string, string>;
  source: 'pf360' | 'trace';
}

export interface Observation {
  caseId: string;
  platform: 'local' | 'classic';
  calls: ObservedCall[];
  steps: ObservedStep[];
  writes: ObservedWrite[];
  /** Every PF360 request path of the run (local only). */
  upstreamPaths?: string[];
  /** Replays: model turns of the recording the run never used (the recording no longer fits the agent). */
  unusedModelTurns?: number;
  /** The harness itself failed (not the agent): the message. */
  harnessError?: string;
}

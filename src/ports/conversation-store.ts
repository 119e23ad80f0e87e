/**
 * The code-defined agent's conversation between requests: the SDK's snapshot of the agent (its
 * messages and, when a turn waits for the customer, the paused turn), kept beside the session
 * so that any process — another Lambda instance, another runtime session — carries it on.
 */
export interface StoredConversation {
  /** The agent's snapshot, as the SDK wrote it. */
  snapshot: string;
  /** Bumped on every save; a save names the version it read (optimistic concurrency). */
  version: number;
  /** The paused turn's interrupts, when it waits for the customer's answer. */
  interrupts: string[];
  /** The last turn failed after a change ran: the agent must finish it before anything else. */
  unfinished: boolean;
}

export interface ConversationStore {
  load(sessionId: string): Promise<StoredConversation | undefined>;
  /**
   * Stores the next state if nobody else saved since `read` (its version, or undefined for a new
   * conversation); otherwise throws AppError agent_conflict and changes nothing.
   */
  save(
    sessionId: string,
    next: Omit<StoredConversation, 'version'>,
    read: number | undefined,
    now: Date,
  ): Promise<void>;
}

/** The audit trail of write attempts (who, what, when, outcome), queryable per project. */

export type AuditOutcome = 'succeeded' | 'test_mode' | 'replayed' | 'rejected' | 'failed';

export interface AuditEntry {
  at: string;
  customerId: string;
  clientId: string;
  /** A hash of the session id: correlates entries without storing a usable session key. */
  sessionRef: string;
  operation: string;
  projectId: string;
  /** The write's own parameters (never tokens or identity). */
  parameters: Record<string, string>;
  outcome: AuditOutcome;
  errorType?: string;
  /** PF360's confirmation, cancellation or note id, when it gave one. */
  confirmationId?: string | null;
}

export interface AuditLog {
  /** Never throws: a failure to audit is logged loudly and must not turn a success into an error. */
  record(entry: AuditEntry): Promise<void>;
  listForProject(clientId: string, projectId: string): Promise<AuditEntry[]>;
}

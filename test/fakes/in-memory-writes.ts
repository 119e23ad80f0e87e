/** In-memory WriteGuard and AuditLog, for unit tests of logic only (integration tests use DynamoDB Local). */
import { AppError } from '../../src/domain/errors.js';
import type { AuditEntry, AuditLog } from '../../src/ports/audit-log.js';
import type { WriteGuard } from '../../src/ports/write-guard.js';

export class InMemoryWriteGuard implements WriteGuard {
  readonly records = new Map<string, { done: boolean; value?: unknown }>();

  async run<T>(key: Record<string, unknown>, _remainingMs: number, perform: () => Promise<T>) {
    const id = JSON.stringify(key);
    const existing = this.records.get(id);
    if (existing?.done) return { value: structuredClone(existing.value) as T, replayed: true };
    if (existing) throw new AppError('write_in_progress', 'The same change is already being made right now.');
    this.records.set(id, { done: false });
    try {
      const value = await perform();
      this.records.set(id, { done: true, value: structuredClone(value) });
      return { value, replayed: false };
    } catch (error) {
      this.records.delete(id);
      throw error;
    }
  }
}

export class InMemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];

  async record(entry: AuditEntry): Promise<void> {
    this.entries.push(structuredClone(entry));
  }

  async listForProject(clientId: string, projectId: string): Promise<AuditEntry[]> {
    return this.entries.filter((e) => e.clientId === clientId && e.projectId === projectId);
  }
}

/**
 * A fresh log capture per run: test/log-audit scans exactly this run's lines. Every project that
 * writes logs lists this global setup; the first of them in a run empties the folder, the others
 * see the run's mark (the main vitest process's pid) and leave it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/specs.js';

export function setup(): void {
  const dir = join(repoRoot, 'reports', 'logs');
  const mark = join(dir, '.run');
  let owner: string | undefined;
  try {
    owner = readFileSync(mark, 'utf8');
  } catch {
    owner = undefined;
  }
  if (owner === String(process.pid)) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(mark, String(process.pid));
}

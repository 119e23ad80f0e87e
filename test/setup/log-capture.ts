/**
 * Tees every line this test worker writes to stdout/stderr into reports/logs/, so that
 * test/log-audit/ can scan every log line the whole suite produced for tokens and personal data.
 * Our JSON log lines are kept off the terminal unless SHOW_LOGS=1 (they are in the files).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/specs.js';

export const logCaptureDir = join(repoRoot, 'reports', 'logs');
const file = join(logCaptureDir, `worker-${process.pid}-${Date.now()}.log`);
mkdirSync(logCaptureDir, { recursive: true });

/** Adds output that a child process produced (e.g. `npm run invoke`'s stderr) to the capture. */
export function captureOutput(text: string): void {
  if (text) appendFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}

function tee(stream: NodeJS.WriteStream): void {
  const original = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    captureOutput(text);
    if (process.env.SHOW_LOGS !== '1' && text.startsWith('{"level"')) {
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
}

tee(process.stdout);
tee(process.stderr);

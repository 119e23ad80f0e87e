/**
 * Every tsx script of package.json answers --help: its usage on stdout, exit 0, and nothing
 * started (a script that went on to start a stack, open a session or run a benchmark would not
 * exit within the deadline, or would print something else). All scripts run at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/specs.js';
import { runScript } from '../helpers/run-script.js';

const scripts: Record<string, string> = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts;
const tsxScripts = Object.entries(scripts).flatMap(([name, command]) => {
  const file = /^tsx (\S+\.ts)$/.exec(command)?.[1];
  return file ? [{ name, file }] : [];
});

describe('--help of every tsx script in package.json', () => {
  it('finds them all', () => {
    expect(tsxScripts.map((s) => s.name).sort()).toEqual(
      expect.arrayContaining([
        'bench',
        'eval',
        'generate',
        'invoke',
        'lint:cfn',
        'lint:specs',
        'load',
        'mcp',
        'start',
        'test:faults',
        'test:stage',
        'token',
      ]),
    );
  });

  it('prints the usage and exits 0, for each of them', { timeout: 120_000 }, async () => {
    const runs = await Promise.all(
      tsxScripts.map(async (s) => ({ ...s, run: await runScript(s.file, ['--help'], { timeoutMs: 100_000 }) })),
    );
    for (const { name, run } of runs) {
      const usage = name === 'start' ? 'usage: npm start' : `usage: npm run ${name}`;
      expect({ name, status: run.status, stderr: run.stderr }).toEqual({ name, status: 0, stderr: '' });
      expect(run.stdout.startsWith(`${usage}\n`) || run.stdout.startsWith(`${usage} `), `${name}: ${run.stdout}`).toBe(
        true,
      );
      expect(run.stdout, name).toMatch(/\n {2}-h, --help +print this help and exit\n$/);
    }
  });
});

/**
 * `npm run bench` still runs end to end, on tiny counts: every section is measured and every
 * function of serverless.yml is bundled and cold-started with its stage's environment. The
 * numbers themselves are not asserted (they are the page's business, docs/bench.md); what is
 * asserted is that the command can produce them — a function that refuses to start with the
 * stage's variables, or a bundle the bench cannot find, once went unnoticed until a release.
 */
import { describe, expect, it } from 'vitest';
import { readServerlessConfig } from '../../scripts/bench/serverless-config.js';
import { runScript } from '../helpers/run-script.js';

describe('npm run bench', () => {
  it('measures every section and cold-starts every function of serverless.yml', { timeout: 180_000 }, async () => {
    // Act
    const run = await runScript(
      'scripts/bench/index.ts',
      ['--iterations', '20', '--warmup', '2', '--runs', '1', '--conversations', '2', '--streams', '2'],
      { timeoutMs: 170_000 },
    );

    // Assess
    expect({ status: run.status, stderr: run.stderr.slice(-2000) }).toEqual({ status: 0, stderr: '' });
    for (const heading of ['## 1. Handler overhead', '### Calls per operation', '## 2. Bundles', '### Cold import']) {
      expect(run.stdout).toContain(heading);
    }
    expect(run.stdout).toContain('## 3. The agent layer');
    expect(run.stdout).toContain('### First streamed word');
    const coldImport = run.stdout.slice(run.stdout.indexOf('### Cold import'), run.stdout.indexOf('## 3.'));
    const bundled = [
      ...readServerlessConfig('prod').functions.map((fn) => fn.name),
      'chat + code agent',
      'agent runtime',
    ];
    for (const name of bundled) expect(coldImport).toMatch(new RegExp(`^\\| ${name.replace(/[+]/g, '\\+')} +\\|`, 'm'));
    expect(run.stdout).toMatch(/session budget PASS (\d+)\/\1/);
  });
});

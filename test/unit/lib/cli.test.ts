import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../scripts/lib/cli.js';
import { repoRoot } from '../../../scripts/lib/specs.js';

const command = {
  name: 'demo',
  usage: 'usage: demo <file> [--users <n>] [--dry-run]',
  options: { users: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
} as const;

describe('parseCommandLine', () => {
  it('reads options in both spellings, and positionals', () => {
    for (const args of [
      ['f.json', '--users', '5', '--dry-run'],
      ['--users=5', 'f.json', '--dry-run'],
    ]) {
      const parsed = parseCommandLine(command, args);
      expect(parsed).toEqual({ values: { users: '5', 'dry-run': true }, positionals: ['f.json'] });
    }
  });

  it.each([
    [['f.json', '--user', '5'], 'unknown option --user'],
    [['f.json', '--users'], '--users needs a value'],
    [['f.json', '--dry-run=yes'], '--dry-run takes no value'],
    [['f.json', 'g.json'], 'unexpected argument g.json'],
    [[], 'missing argument'],
  ])('refuses %j with one sentence', (args, error) => {
    expect(parseCommandLine(command, args)).toEqual({ error });
  });
});

describe('the npm scripts', () => {
  // A typo must not quietly run a ten-minute load test with the defaults.
  it.each([
    ['scripts/load/index.ts', ['--user', '50'], /^load: unknown option --user\nusage: npm run load/],
    ['scripts/bench/index.ts', ['--runs', '0'], /^bench: --runs must be a whole number from 1 to 1000, got "0"\n/],
    ['scripts/local/token.ts', ['--ttl', 'soon'], /^token: --ttl must be a whole number/],
    ['scripts/invoke.ts', ['scheduling'], /^invoke: missing argument\nusage: npm run invoke/],
  ])('%s refuses a bad command line before doing anything', (script, args, message) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: repoRoot, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });
});

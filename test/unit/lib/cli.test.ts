import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { helpText, parseCommandLine } from '../../../scripts/lib/cli.js';
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

describe('--help', () => {
  const described = {
    ...command,
    summary: 'Does the demo thing.',
    options: { ...command.options, tag: { type: 'string', multiple: true }, mode: { type: 'string', default: 'fast' } },
    optionHelp: { users: 'how many users', 'dry-run': 'change nothing' },
  } as const;

  it.each([
    [['--help']],
    [['-h']],
    [['f.json', '--users', '5', '--help']],
    // Help wins over whatever else is wrong with the line.
    [['f.json', 'g.json', '--user', '5', '-h']],
    [['--dry-run=yes', '--help', '--users']],
  ])('answers %j with the help text', (args) => {
    expect(parseCommandLine(described, args)).toEqual({ help: helpText(described) });
  });

  it('is not asked for by a positional after --, or by a value given with =', () => {
    expect(parseCommandLine(command, ['--', '--help'])).toEqual({ values: {}, positionals: ['--help'] });
    expect(parseCommandLine(described, ['f.json', '--tag=--help'])).toEqual({
      values: { tag: ['--help'], mode: 'fast' },
      positionals: ['f.json'],
    });
  });

  it('prints the usage, the summary and one line per option', () => {
    expect(helpText(described).split('\n')).toEqual([
      'usage: demo <file> [--users <n>] [--dry-run]',
      '',
      'Does the demo thing.',
      '',
      'options:',
      '  --users <value>  how many users',
      '  --dry-run        change nothing',
      '  --tag <value>    (may be repeated)',
      '  --mode <value>   (default fast)',
      '  -h, --help       print this help and exit',
    ]);
    expect(helpText({ name: 'bare', usage: 'usage: bare', options: {} })).toBe(
      'usage: bare\n\noptions:\n  -h, --help  print this help and exit',
    );
  });

  it('cannot be taken over by a command', () => {
    expect(() => parseCommandLine({ name: 'x', usage: 'usage: x', options: { help: { type: 'string' } } }, [])).toThrow(
      'x: the option --help is reserved',
    );
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

  it('print --help on stdout and exit 0, even a tool that keeps stdout for its own output', () => {
    // invoke points process.stdout.write at stderr before it reads its command line.
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/invoke.ts', 'scheduling', '--help'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: npm run invoke -- <scheduling\|information\|notes> <event\.json>/);
    expect(run.stdout).toContain('  --demo-session        create the session for the demo customer first');
  });
});

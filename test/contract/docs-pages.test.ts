/**
 * The measured pages under docs/ come from the commands that measure them (scripts/lib/docs.ts),
 * and the README links to each of them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/specs.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

describe('docs/', () => {
  it.each([
    ['bench.md', 'npm run bench -- '],
    ['faults.md', 'npm run test:faults -- '],
    ['load.md', 'npm run load -- '],
  ])('%s was written by `%s… --write-docs` and the README links to it', (page, command) => {
    const text = readFileSync(join(repoRoot, 'docs', page), 'utf8');
    const written = /^# .+\n\nWritten by `([^`]+)` on (\d{4}-\d{2}-\d{2}T[\d:.]+Z);/.exec(text);
    expect(written?.[1]).toMatch(new RegExp(`^${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*--write-docs$`));
    expect(text).toMatch(/Node v\d+\.\d+\.\d+/);
    expect(readme).toContain(`(docs/${page})`);
  });
});

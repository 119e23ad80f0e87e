/** Rules about where things live in src/, checked on the source itself. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/specs.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

const files = sourceFiles(join(repoRoot, 'src')).map((file) => ({
  path: relative(repoRoot, file),
  text: readFileSync(file, 'utf8'),
}));

describe('src/', () => {
  it('reads process.env only in src/config/env.ts', () => {
    // Act
    const readers = files.filter((f) => f.path !== 'src/config/env.ts' && /\bprocess\.env\b/.test(f.text));

    // Assess
    expect(readers.map((f) => f.path)).toEqual([]);
  });
});

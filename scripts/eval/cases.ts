/**
 * The golden conversations: test/evals/cases/*.yaml, each validated against
 * test/evals/case.schema.json (one file per case, named by its id), selected by `--cases`, and
 * moved onto the calendar of the agent being evaluated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { shiftValue } from '../../src/domain/example-dates.js';
import { repoRoot } from '../lib/specs.js';
import type { EvalCase } from './types.js';

export const casesDir = join(repoRoot, 'test', 'evals', 'cases');
export const caseSchemaFile = join(repoRoot, 'test', 'evals', 'case.schema.json');

export class CaseError extends Error {
  override name = 'CaseError';
}

export function caseValidator() {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  return ajv.compile<EvalCase>(JSON.parse(readFileSync(caseSchemaFile, 'utf8')));
}

/** Every case of `dir`, in file-name order; a file that breaks the schema is an error naming it. */
export function loadCases(dir = casesDir): EvalCase[] {
  const validate = caseValidator();
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const cases = files.map((file) => {
    const data: unknown = parse(readFileSync(join(dir, file), 'utf8'));
    if (!validate(data)) {
      const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
      throw new CaseError(`${file}: not a valid case: ${errors}`);
    }
    if (data.id !== basename(file, '.yaml'))
      throw new CaseError(`${file}: its id is ${data.id}; name the file ${data.id}.yaml`);
    return data;
  });
  return cases;
}

function globPattern(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/**
 * The cases `spec` names: ids and globs separated by commas (`book-*,cancel-flooring`), in the
 * cases' own order. A name or glob that matches no case is an error (a typo must not run nothing).
 */
export function selectCases(cases: readonly EvalCase[], spec: string | undefined): EvalCase[] {
  if (spec === undefined) return [...cases];
  const parts = spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new CaseError('--cases names no case');
  const patterns = parts.map((part) => ({ part, pattern: globPattern(part) }));
  const unmatched = patterns.filter(({ pattern }) => !cases.some((c) => pattern.test(c.id))).map((p) => p.part);
  if (unmatched.length > 0) throw new CaseError(`no case matches ${unmatched.join(', ')}`);
  return cases.filter((c) => patterns.some(({ pattern }) => pattern.test(c.id)));
}

const spoken = new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' });

/** `{{date:YYYY-MM-DD}}` written out the way a customer says it: "Wednesday, December 2". */
export function renderTemplates(text: string): string {
  return text.replace(/\{\{date:(\d{4}-\d{2}-\d{2})\}\}/g, (_whole, iso: string) =>
    spoken.format(new Date(`${iso}T12:00:00Z`)),
  );
}

/**
 * The case on the calendar of the agent under test: every date in it moved by `days` (0 on the
 * examples' own calendar, where the local stack runs; a mock stage moves its examples so that the
 * first open date is tomorrow), then the customer's words written out.
 */
export function onCalendar(c: EvalCase, days: number): EvalCase {
  const moved = days === 0 ? structuredClone(c) : shiftValue(structuredClone(c), days);
  return { ...moved, turns: moved.turns.map((turn) => ({ ...turn, say: renderTemplates(turn.say) })) };
}

/**
 * Runs after the whole suite (vitest project "log-audit", groupOrder 1) and reads every line
 * the suite's workers wrote (test/setup/log-capture.ts). No token and no personal data may appear
 * in any of them, and every structured log line carries a level and a correlation id.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pf360Examples } from '../../generated/catalog/pf360-examples.js';
import { repoRoot } from '../../scripts/lib/specs.js';
import { localJwt } from '../../scripts/local/chat.js';
import { sensitiveTestValues } from '../helpers/sensitive.js';

const dir = join(repoRoot, 'reports', 'logs');
const lines = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .flatMap((f) =>
        readFileSync(join(dir, f), 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== ''),
      )
  : [];

/** Personal data in the PF360 demo data: customer and technician names, email, phone, street addresses, notes. */
function personalDataFromExamples(): string[] {
  const values: string[] = [];
  for (const example of Object.values(pf360Examples.getDashboard['200'])) {
    for (const row of example.data as readonly Record<string, string | null>[]) {
      for (const key of [
        'customer_first_name',
        'customer_last_name',
        'customer_email',
        'customer_phone',
        'installation_address_address1',
        'installation_address_full_address',
      ]) {
        if (row[key]) values.push(String(row[key]));
      }
      if (row.user_idata_first_name) values.push(`${row.user_idata_first_name} ${row.user_idata_last_name}`);
    }
  }
  for (const example of Object.values(pf360Examples.listProjectNotes['200'])) {
    for (const note of example.data.notes) values.push(note.note_text);
  }
  return [...new Set(values)];
}

const patterns: [string, RegExp][] = [
  ['a JWT', /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/],
  ['a bearer token', /Bearer\s+[A-Za-z0-9._-]{8,}/],
  ['an email address', /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/],
  ['a phone number', /(\+?1[-. ]?)?\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b/],
  ['a street address', /\b\d{2,5} [A-Z][a-z]+ (St|Street|Ave|Avenue|Blvd|Rd|Road|Dr|Lane|Ln)\b/],
];

describe('every log line of the suite', () => {
  it('was captured (the suite ran and logged)', () => {
    expect(lines.filter((l) => l.startsWith('{"level"')).length).toBeGreaterThan(200);
  });

  it.each(patterns)('contains no %s', (_what, pattern) => {
    const offending = lines.filter((l) => pattern.test(l));
    expect(offending.slice(0, 3)).toEqual([]);
  });

  it('contains none of the tokens, secrets and personal data the tests used', () => {
    const needles = [...personalDataFromExamples(), ...sensitiveTestValues, localJwt.JWT_HS256_SECRET];
    expect(needles.length).toBeGreaterThan(15);
    const found = needles.filter((needle) => lines.some((l) => l.includes(needle)));
    expect(found).toEqual([]);
  });

  it('is structured JSON with a level and a correlation id when it comes from our services', () => {
    const ours = lines
      .filter((l) => l.startsWith('{"level"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => /^(pf360|test)-/.test(String(l.service)));
    expect(ours.length).toBeGreaterThan(200);
    const missing = ours.filter((l) => typeof l.correlation_id !== 'string' || !l.level);
    expect(missing.slice(0, 3)).toEqual([]);
  });
});

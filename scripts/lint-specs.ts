/**
 * `npm run lint:specs [-- --action <file>... --api <file>...]`
 * With no arguments: validates every spec in openapi/ as OpenAPI and the action specs against
 * Bedrock's rules. Prints one line per finding (file, operation, rule) and exits 1 on any.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { type Finding, formatFinding, lintActionSpec, validateOpenApi } from './lib/spec-lint.js';
import { actionGroups, repoRoot, specFiles } from './lib/specs.js';

function parseArgs(argv: string[]): { action: string[]; api: string[] } {
  const action: string[] = [];
  const api: string[] = [];
  let target: string[] | undefined;
  for (const arg of argv) {
    if (arg === '--action') target = action;
    else if (arg === '--api') target = api;
    else if (target) target.push(resolve(arg));
    else throw new Error(`unexpected argument ${arg}; use --action <file> or --api <file>`);
  }
  if (action.length === 0 && api.length === 0) {
    for (const g of actionGroups) action.push(resolve(repoRoot, specFiles[g]));
    for (const name of ['pf360', 'weather', 'chat'] as const) api.push(resolve(repoRoot, specFiles[name]));
  }
  return { action, api };
}

const { action, api } = parseArgs(process.argv.slice(2));
const findings: Finding[] = [];
const seenOperationIds = new Map<string, string>();
for (const file of [...action, ...api]) {
  const name = relative(process.cwd(), file);
  let doc: Record<string, unknown>;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    findings.push({ file: name, rule: 'yaml', message: (error as Error).message.split('\n')[0] ?? 'unreadable' });
    continue;
  }
  findings.push(...(await validateOpenApi(name, doc)));
  if (action.includes(file)) findings.push(...lintActionSpec(name, doc, seenOperationIds));
}
for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
const count = action.length + api.length;
process.stdout.write(
  findings.length === 0 ? `lint:specs: ${count} specs OK\n` : `lint:specs: ${findings.length} problem(s)\n`,
);
process.exitCode = findings.length === 0 ? 0 : 1;

/**
 * `npm run lint:specs [-- [--action <file>]... [--api <file>]...]` (each flag once per file)
 * With no arguments: validates every spec in openapi/ as OpenAPI and the action specs against
 * Bedrock's rules. Prints one line per finding (file, operation, rule) and exits 1 on any.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { readCommandLine } from './lib/cli.js';
import { type Finding, formatFinding, lintActionSpec, validateOpenApi } from './lib/spec-lint.js';
import { actionGroups, repoRoot, specFiles } from './lib/specs.js';

const { values: flags } = readCommandLine({
  name: 'lint:specs',
  usage: 'usage: npm run lint:specs [-- [--action <file>]... [--api <file>]...]',
  summary:
    "Validates the specs as OpenAPI and the action specs against Bedrock's rules; one line per finding, exit 1 on any. With no options: every spec in openapi/.",
  options: { action: { type: 'string', multiple: true }, api: { type: 'string', multiple: true } },
  optionHelp: {
    action: "an action-group spec: OpenAPI and Bedrock's rules",
    api: 'any other spec: OpenAPI only',
  },
});
const action = (flags.action ?? []).map((file) => resolve(file));
const api = (flags.api ?? []).map((file) => resolve(file));
if (action.length === 0 && api.length === 0) {
  for (const g of actionGroups) action.push(resolve(repoRoot, specFiles[g]));
  for (const name of ['pf360', 'weather', 'chat', 'agentcore-runtime'] as const)
    api.push(resolve(repoRoot, specFiles[name]));
}
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

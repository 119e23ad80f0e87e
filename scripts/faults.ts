/**
 * `npm run test:faults`: starts its own local stack, injects every fault of
 * test/faults/scenarios.ts and prints a table — the fault, the behaviour we promise, what was
 * observed — then exits non-zero if any scenario did not behave as promised.
 */
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultContext, runScenario } from '../test/faults/run.js';
import { scenarios } from '../test/faults/scenarios.js';
import { readCommandLine } from './lib/cli.js';
import { startStack } from './local/stack.js';
import { localTables } from './local/tables.js';

readCommandLine({
  name: 'test:faults',
  usage: 'usage: npm run test:faults',
  summary:
    'Starts its own local stack, injects every fault scenario of test/faults/scenarios.ts and prints the fault, the promised behaviour and what was observed; exit 1 if any scenario did not behave as promised.',
  options: {},
});
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The handlers log JSON to stdout; keep it for the table and send their logs to a file instead.
const out = process.stdout.write.bind(process.stdout);
const logDir = mkdtempSync(join(tmpdir(), 'pf360-faults-'));
const handlerLog = createWriteStream(join(logDir, 'handlers.log'));
process.stdout.write = ((chunk: string | Uint8Array) => handlerLog.write(chunk)) as typeof process.stdout.write;

const { env: tables, byLogicalId: tableIds } = localTables('faults');
const stack = await startStack({
  tables: tableIds,
  logDir,
});
// The handlers read credentials and region from the environment, exactly as on Lambda.
Object.assign(process.env, stack.env, tables, { STAGE: 'test' });

const rows: string[][] = [];
let failed = 0;
let run: Awaited<ReturnType<typeof faultContext>> | undefined;
try {
  run = await faultContext(process.env);
  for (const scenario of scenarios) {
    const outcome = await runScenario(scenario, run.context);
    if (!outcome.ok) failed += 1;
    rows.push([outcome.ok ? 'PASS' : 'FAIL', scenario.fault, scenario.expected, outcome.observed]);
  }
} finally {
  await run?.close();
  await stack.stop();
  await new Promise((resolve) => handlerLog.end(resolve));
}

const header = ['', 'fault', 'expected', 'observed'];
const cellText = (cell: string) => cell.replaceAll('|', '\\|').replaceAll('\n', ' ');
out(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n`);
for (const row of rows) out(`| ${row.map(cellText).join(' | ')} |\n`);
out(`\n${rows.length - failed} of ${rows.length} faults behaved as promised (logs: ${logDir}).\n`);
process.exit(failed === 0 ? 0 : 1);

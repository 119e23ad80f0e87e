/**
 * `npm run test:faults`: starts its own local stack, injects every fault of
 * test/faults/scenarios.ts and prints a table — the fault, the behaviour we promise, what was
 * observed — then exits non-zero if any scenario did not behave as promised. With --write-docs
 * and every scenario passing, the table also goes to docs/faults.md.
 */
// The committed examples with their fixed dates, replayed on their own calendar.
import './lib/examples-clock.mjs';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultContext, runScenario } from '../test/faults/run.js';
import { scenarios } from '../test/faults/scenarios.js';
import { readCommandLine } from './lib/cli.js';
import { machineLine, writeDocsHelp, writeDocsOption, writeDocsPage } from './lib/docs.js';
import { startStack } from './local/stack.js';
import { localTables } from './local/tables.js';

const { values: flags } = readCommandLine({
  name: 'test:faults',
  usage: 'usage: npm run test:faults [-- --write-docs]',
  summary:
    'Starts its own local stack, injects every fault scenario of test/faults/scenarios.ts and prints the fault, the promised behaviour and what was observed; exit 1 if any scenario did not behave as promised.',
  options: { ...writeDocsOption },
  optionHelp: { 'write-docs': writeDocsHelp('faults.md') },
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
  // On the spec examples' calendar (imported above): DynamoDB Local, on the real clock, must not sweep.
  timeToLive: false,
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
const table = [
  `| ${header.join(' | ')} |`,
  `|${header.map(() => '---').join('|')}|`,
  ...rows.map((row) => `| ${row.map(cellText).join(' | ')} |`),
].join('\n');
const verdict = `${rows.length - failed} of ${rows.length} faults behaved as promised`;
out(`${table}\n\n${verdict} (logs: ${logDir}).\n`);
if (flags['write-docs']) {
  if (failed === 0) {
    const page = [
      'The command starts its own local stack (DynamoDB Local, Prism for PF360 and weather) and injects each fault',
      'through a recording, fault-injecting proxy in front of Prism or by stopping DynamoDB Local. The scenarios are',
      '`test/faults/scenarios.ts`; `npm test` runs the same ones (`test/faults/`).',
      '',
      machineLine(),
      '',
      table,
      '',
      `${verdict}.`,
    ].join('\n');
    out(`wrote ${writeDocsPage('faults.md', 'Fault injection', 'npm run test:faults -- --write-docs', page)}\n`);
  } else {
    out('docs/faults.md left as it was: not every fault behaved as promised\n');
  }
}
process.exit(failed === 0 ? 0 : 1);

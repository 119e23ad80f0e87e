/**
 * Runs section 1 in a process of its own, forked by index.ts with stdout on /dev/null, and sends
 * the results back over IPC: the INFO half of the benchmark then pays for real writes of every
 * log line, without the lines mixing into the benchmark's own output.
 */
import { parseArgs } from 'node:util';
import { runHandlerBench } from './handlers.js';

const { values } = parseArgs({
  options: { iterations: { type: 'string' }, warmup: { type: 'string' } },
});
const send = process.send?.bind(process);
if (!send) throw new Error('handlers-worker.ts is forked by scripts/bench/index.ts; run `npm run bench`');

const results = await runHandlerBench({ iterations: Number(values.iterations), warmup: Number(values.warmup) });
send(results, undefined, undefined, () => process.disconnect());

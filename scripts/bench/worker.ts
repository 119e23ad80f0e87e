/**
 * Runs one in-process section of the bench (handlers, agent) in a process of its own, forked by
 * index.ts with stdout on /dev/null, and sends the results back over IPC: the INFO half of the
 * handler benchmark then pays for real writes of every log line without them mixing into the
 * benchmark's own output, and each section starts from a fresh heap.
 */
import { parseArgs } from 'node:util';
import { runAgentBench } from './agent.js';
import { runHandlerBench } from './handlers.js';

const { values } = parseArgs({
  options: {
    section: { type: 'string' },
    iterations: { type: 'string' },
    warmup: { type: 'string' },
    streams: { type: 'string' },
  },
});
const send = process.send?.bind(process);
if (!send) throw new Error('worker.ts is forked by scripts/bench/index.ts; run `npm run bench`');

const iterations = Number(values.iterations);
const warmup = Number(values.warmup);
const results =
  values.section === 'agent'
    ? await runAgentBench({ iterations, warmup, streams: Number(values.streams) })
    : await runHandlerBench({ iterations, warmup });
send(results, undefined, undefined, () => process.disconnect());

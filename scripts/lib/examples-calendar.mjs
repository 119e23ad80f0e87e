/**
 * The spec examples' own calendar, for the tools that replay the committed examples with their
 * fixed dates: the test suite, `npm run bench`, `npm run load` and `npm run test:faults`. The
 * handlers never offer a date before today, so against the committed specs they must run on the
 * day the examples were written for — the day before their first open date — or the examples
 * would pass with the calendar. (`npm start` and a USE_MOCK_API stage do the opposite: they move
 * the examples onto today, src/domain/example-dates.ts.)
 *
 * This module only describes the calendar; importing examples-clock.mjs moves a process onto it.
 * Never used by src/: a Lambda runs on the real clock.
 */
import { fileURLToPath } from 'node:url';

/** 10:00 in New York on Sunday 2026-11-29: the examples' first open date is tomorrow. */
export const examplesNow = '2026-11-29T15:00:00.000Z';

export const offsetVariable = 'PF360_EXAMPLES_CLOCK_OFFSET_MS';

const clockModule = fileURLToPath(new URL('./examples-clock.mjs', import.meta.url));

/**
 * The environment that puts a process — and, through NODE_OPTIONS, every Node process it starts —
 * on the examples' calendar, all on one timeline: the offset is fixed once, here.
 */
export function examplesClockEnv(env = process.env) {
  const offset = env[offsetVariable] ?? String(Date.parse(examplesNow) - Date.now());
  const flag = `--import=${JSON.stringify(clockModule)}`;
  const options = env.NODE_OPTIONS?.includes(flag)
    ? env.NODE_OPTIONS
    : [env.NODE_OPTIONS, flag].filter(Boolean).join(' ');
  return { [offsetVariable]: offset, NODE_OPTIONS: options };
}

/**
 * `env` without the examples' calendar, for a process that must run on the real clock as a
 * developer runs it (`npm start` started by a test: it moves the examples onto today, and its
 * DynamoDB Local sweeps expired items by the real clock, so a session stamped on the examples'
 * calendar would vanish under it).
 */
export function realClockEnv(env = process.env) {
  const { [offsetVariable]: _offset, ...rest } = env;
  const flag = `--import=${JSON.stringify(clockModule)}`;
  const options = (env.NODE_OPTIONS ?? '').replace(flag, '').trim();
  if (options) rest.NODE_OPTIONS = options;
  else delete rest.NODE_OPTIONS;
  return rest;
}

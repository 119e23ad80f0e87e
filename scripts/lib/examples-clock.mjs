/**
 * Importing this module moves this process onto the spec examples' calendar (see
 * examples-calendar.mjs): `new Date()` and `Date.now()` read that calendar and advance in real
 * time; dates built from a value, timers and `performance.now()` are untouched. The offset comes
 * from the environment when a parent set it (examplesClockEnv), so parent and children share
 * one timeline; otherwise it is fixed now. Installing twice is a no-op.
 */
import { examplesClockEnv, offsetVariable } from './examples-calendar.mjs';

const installed = Symbol.for('pf360.examplesClock');

if (globalThis.Date[installed] === undefined) {
  Object.assign(process.env, examplesClockEnv(process.env));
  const offset = Number(process.env[offsetVariable]);
  const RealDate = globalThis.Date;
  class ExamplesDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  Object.defineProperty(ExamplesDate, installed, { value: offset });
  globalThis.Date = ExamplesDate;
}

/**
 * Every test file sees the endpoints of the run's local stack in process.env, exactly as a
 * Lambda sees its configuration, and runs on the spec examples' calendar (the global setup fixed
 * the offset; scripts/lib/examples-calendar.mjs). Tests that need other settings pass an env
 * object explicitly.
 */
import { inject } from 'vitest';

Object.assign(process.env, inject('stack').env, { STAGE: 'test' });
await import('../../scripts/lib/examples-clock.mjs');

/**
 * Every test file sees the endpoints of the run's local stack in process.env, exactly as a
 * Lambda sees its configuration. Tests that need other settings pass an env object explicitly.
 */
import { inject } from 'vitest';

Object.assign(process.env, inject('stack').env, { STAGE: 'test' });

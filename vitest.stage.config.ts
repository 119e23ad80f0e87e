import { defineConfig } from 'vitest/config';

/**
 * `npm run test:stage` runs test/stage against a deployed stage (TEST_STAGE and the stage's
 * settings come from scripts/test-stage.ts). No local stack: the Lambdas and tables are AWS's.
 */
export default defineConfig({
  test: {
    include: ['test/stage/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
    coverage: {
      provider: 'v8',
      include: ['src/**'],
      reporter: ['text-summary', 'html'],
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          sequence: { groupOrder: 0 },
          include: ['test/**/*.test.ts'],
          exclude: ['test/log-audit/**'],
          // One local stack (DynamoDB Local + Prism) per run, on free ports, shared by all files.
          globalSetup: ['test/setup/global-setup.ts'],
          setupFiles: ['test/setup/stack-env.ts', 'test/setup/log-capture.ts'],
        },
      },
      {
        // Runs after the whole suite: scans every log line it produced.
        extends: true,
        test: {
          name: 'log-audit',
          include: ['test/log-audit/**/*.test.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});

import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/support/summary-reporter.js';

export default defineConfig({
  test: {
    reporters: ['default', new SummaryReporter()],
    // A project may have no files yet (workflows/, engine/ fill up over time): that is not a failure.
    passWithNoTests: true,
    // Integration files run in parallel against the shared servers, each in its own database and prefix.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Pure modules: one import of the engine per worker serves every file (each file re-importing it took 40 s of the suite's 1 min of unit time).
          isolate: false,
          include: ['test/unit/**/*.test.ts', 'engine/**/*.test.ts', 'workflows/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          // Each file has its own database, queue prefix and app (test/support/test-database.ts, api-fixture.ts), not
          // modules of its own: one import of the app per worker serves every file (re-importing it per file took 185 s
          // of the integration files' 265 s; without, 163 s).
          isolate: false,
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/harness/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // A browser test opens several pages as several people: 15–35 s when CI's two workers saturate both cores.
          testTimeout: 60_000,
          hookTimeout: 30_000,
          // A page or a worker answers within a second on an idle box, not on a busy one (CI beside other work):
          // `expect.poll` waits as long as the browser tests' own polls do, so a slow answer is not a failure.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});

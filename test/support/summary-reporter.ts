import type { Reporter, TestModule, TestSpecification } from 'vitest/node';

/**
 * Ends every run with one machine-readable line on stdout, `N passed, M failed`, after vitest's report.
 * N counts passed tests; skipped and todo tests count as neither. M counts failed tests, plus one for each
 * test file that failed without a failed test (an import error, a failing `beforeAll`) or never ran (the
 * global setup failed): M is 0 only when every file ran and passed.
 */
export default class SummaryReporter implements Reporter {
  private scheduledFiles = 0;

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.scheduledFiles = specifications.length;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    // Files that were scheduled but never collected, e.g. because the global setup threw.
    let failed = Math.max(0, this.scheduledFiles - testModules.length);
    for (const testModule of testModules) {
      let failedTests = 0;
      for (const test of testModule.children.allTests()) {
        const { state } = test.result();
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failedTests += 1;
      }
      failed += failedTests > 0 ? failedTests : testModule.state() === 'failed' ? 1 : 0;
    }
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
  }
}

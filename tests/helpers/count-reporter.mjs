// Prints one line with the browser tests counted over every group and browser:
// "browser tests: N passed, N failed, N skipped" (scripts/test.sh sums it with the others).
export function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const n = { passed: 0, failed: 0, skipped: 0 };
      const walk = (suite) => {
        for (const t of suite?.tests ?? []) n[t.skipped ? 'skipped' : t.passed ? 'passed' : 'failed']++;
        for (const s of suite?.suites ?? []) walk(s);
      };
      for (const session of sessions) {
        walk(session.testResults);
        // A file that failed to load or threw outside a test counts as one failure.
        if (!session.passed && !session.testResults?.tests?.length && !session.testResults?.suites?.length) n.failed++;
        else if ((session.errors ?? []).length) n.failed++;
      }
      console.log(`browser tests: ${n.passed} passed, ${n.failed} failed, ${n.skipped} skipped`);
    },
  };
}

// Mocha reporter for scripts/test-all.mjs: prints like `spec` and writes the counts as JSON to
// PORTA_MOCHA_STATS, so totals never depend on parsing console output.
const { writeFileSync } = require('node:fs');
const Mocha = require('mocha');

class StatsReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.PORTA_MOCHA_STATS;
      if (!file) return;
      const { tests, passes, pending, failures, duration } = this.stats;
      writeFileSync(file, JSON.stringify({ tests, passes, pending, failures, durationMs: duration }));
    });
  }
}

module.exports = StatsReporter;

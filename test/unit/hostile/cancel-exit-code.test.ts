import assert from 'node:assert/strict';
import { cancelExitCode } from '../../../src/cli/commands/cancel';

// #17: a cancel that could not stop every process must not look like a clean one to scripts that check the exit code.
describe('porta cancel exit code', () => {
  it('is 0 only when the run was cancelled and nothing was left running', () => {
    assert.equal(cancelExitCode({ status: 'cancelled' }), 0);
  });

  it('is 1 when the cancel left processes running (named in the error)', () => {
    assert.equal(cancelExitCode({ status: 'cancelled', error: 'cancel may have left processes: pid 4242 (python3)' }), 1);
  });

  it('is 1 when the run ended some other way before the cancel reached it', () => {
    assert.equal(cancelExitCode({ status: 'succeeded' }), 1);
    assert.equal(cancelExitCode({ status: 'failed', error: 'exit 2' }), 1);
  });
});

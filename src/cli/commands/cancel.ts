import { UsageError, type Command } from '../command';
import { isRunId } from '../../run/history';
import { cancelRun } from '../../run/launch';
import type { RunRecord } from '../../run/record';

export const command: Command = {
  name: 'cancel',
  summary: 'Cancel a running run (kills its whole process tree, or scancels the job)',
  usage: 'Usage: porta cancel ID\n\nID is a run id from `porta runs`.',
  async run(argv, io) {
    if (argv.length !== 1 || !isRunId(argv[0])) throw new UsageError(argv.length === 1 ? `not a run id: ${argv[0]}` : 'give exactly one run id');
    const record = await cancelRun(io.cwd, argv[0]);
    io.stdout.write(`${record.id} ${record.status}${record.error ? `: ${record.error}` : ''}\n`);
    return cancelExitCode(record);
  },
};

/** 0 only for a clean cancel: a cancel that left processes running says so in the record's error and fails. */
export function cancelExitCode(record: Pick<RunRecord, 'status' | 'error'>): number {
  return record.status === 'cancelled' && !record.error ? 0 : 1;
}

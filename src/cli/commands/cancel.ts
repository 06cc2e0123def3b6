import { UsageError, type Command } from '../command';
import { isRunId } from '../../run/history';
import { cancelRun } from '../../run/launch';

export const command: Command = {
  name: 'cancel',
  summary: 'Cancel a running run (kills its whole process tree, or scancels the job)',
  usage: 'Usage: porta cancel ID\n\nID is a run id from `porta runs`.',
  async run(argv, io) {
    if (argv.length !== 1 || !isRunId(argv[0])) throw new UsageError(argv.length === 1 ? `not a run id: ${argv[0]}` : 'give exactly one run id');
    const record = await cancelRun(io.cwd, argv[0]);
    io.stdout.write(`${record.id} ${record.status}${record.error ? `: ${record.error}` : ''}\n`);
    return record.status === 'cancelled' ? 0 : 1;
  },
};

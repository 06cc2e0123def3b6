import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command';
import { describeTarget, loadTargets, TargetError } from '../../run/targets/config';
import { discoverAccelerators } from '../../run/discover';

const USAGE = `Usage: porta targets [--json] [--discover [--refresh]]

Lists the run targets: \`local\`, porta.toml's [targets.NAME] sections and ~/.ssh/config hosts.
  --discover   also probe each target's accelerators (cached in .porta/discovery/; --refresh re-probes)
  --json       machine-readable output`;

export const command: Command = {
  name: 'targets',
  summary: 'List run targets (and their accelerators)',
  usage: USAGE,
  async run(argv, io) {
    let values;
    try {
      values = parseArgs({ args: argv, options: { json: { type: 'boolean' }, discover: { type: 'boolean' }, refresh: { type: 'boolean' } }, strict: true }).values;
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    let targets;
    try {
      targets = await loadTargets(io.cwd);
    } catch (error) {
      if (error instanceof TargetError) {
        io.stderr.write(`porta targets: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    const rows = [];
    for (const target of targets) {
      const discovery = values.discover ? await discoverAccelerators(target, io.cwd, { refresh: values.refresh }) : undefined;
      rows.push({ target, discovery });
    }
    if (values.json) {
      const out = rows.map(({ target, discovery }) => ({
        name: target.name, kind: target.kind, description: describeTarget(target), python: target.python, source: target.source,
        ...(discovery ? { accelerators: discovery.backends.filter((b) => b.available).map((b) => b.backend), discovery } : {}),
      }));
      io.stdout.write(`${JSON.stringify({ version: 1, targets: out }, null, 2)}\n`);
      return 0;
    }
    for (const { target, discovery } of rows) {
      let line = `${target.name.padEnd(16)} ${target.kind.padEnd(6)} ${describeTarget(target)}`;
      if (discovery) {
        const found = discovery.backends.filter((b) => b.available).map((b) => b.backend);
        line += `  accelerators: ${found.join(', ') || 'none'}${discovery.error ? ` (${discovery.error})` : ''}`;
      }
      io.stdout.write(`${line}\n`);
    }
    return 0;
  },
};

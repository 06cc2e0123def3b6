import { type Command, parseCommandLine } from '../command';
import { describeTarget, loadTargets, TargetError } from '../../run/targets/config';
import { discoverAccelerators } from '../../run/discover';
import { describePrice } from '../../run/targets/price';
import { resolveSshTarget } from '../../run/targets/ssh';

const USAGE = `Usage: porta targets [--json] [--discover [--refresh]]

Lists the run targets: \`local\`, porta.toml's [targets.NAME] sections and ~/.ssh/config hosts, with their
prices (price_per_hour, or for Slurm price_per_node_hour / price_per_gpu_hour; "no price" when unset).
  --discover   also probe each target's accelerators (cached in .porta/discovery/; --refresh re-probes)
  --json       machine-readable output`;

export const command: Command = {
  name: 'targets',
  summary: 'List run targets (and their accelerators)',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseCommandLine({ args: argv, options: { json: { type: 'boolean' }, discover: { type: 'boolean' }, refresh: { type: 'boolean' } }, strict: true });
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
      const resolved = target.kind === 'ssh' ? await resolveSshTarget(target) : undefined;
      rows.push({ target, discovery, resolved });
    }
    if (values.json) {
      const out = rows.map(({ target, discovery, resolved }) => ({
        name: target.name, kind: target.kind, description: describeTarget(target), python: target.python, source: target.source,
        price: target.price ?? null,
        ...(resolved ? { resolved } : {}),
        ...(discovery ? { accelerators: discovery.backends.filter((b) => b.available).map((b) => b.backend), discovery } : {}),
      }));
      io.stdout.write(`${JSON.stringify({ version: 1, targets: out }, null, 2)}\n`);
      return 0;
    }
    for (const { target, discovery, resolved } of rows) {
      let line = `${target.name.padEnd(16)} ${target.kind.padEnd(6)} ${describeTarget(target)}  ${describePrice(target.price)}`;
      if (target.kind === 'ssh' && resolved?.hostname && resolved.hostname !== target.host) line += ` → ${resolved.user ? `${resolved.user}@` : ''}${resolved.hostname}:${resolved.port ?? 22}`;
      if (resolved?.error) line += `  (${resolved.error})`;
      if (discovery) {
        const found = discovery.backends.filter((b) => b.available).map((b) => b.backend);
        line += `  accelerators: ${found.join(', ') || 'none'}${discovery.error ? ` (${discovery.error})` : ''}`;
      }
      io.stdout.write(`${line}\n`);
    }
    return 0;
  },
};

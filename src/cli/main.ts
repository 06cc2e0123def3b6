import { COMMANDS } from './registry';
import { UsageError, type CliIO } from './command';

function help(): string {
  const lines = ['Usage: porta <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${load().summary}`);
  lines.push('', 'Run `porta <command> --help` for a command\'s options.');
  return lines.join('\n') + '\n';
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${process.env.PORTA_VERSION ?? 'dev'}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`porta: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  const command = load();
  // Everything after `--` belongs to the script (`porta run -- train.py --help`), not to Porta.
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (own.includes('--help') || own.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`porta ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    const message = error instanceof Error ? (process.env.PORTA_DEBUG ? error.stack : error.message) : String(error);
    io.stderr.write(`porta ${name}: ${message}\n`);
    return 2;
  }
}

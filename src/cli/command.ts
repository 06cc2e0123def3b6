import { parseArgs, type ParseArgsConfig } from 'node:util';

/** One `porta` sub-command. Each lives in its own file under src/cli/commands/ and is listed in registry.ts. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code: 0 success/nothing found, 1 findings or a failed run, 2 usage or internal error. */
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Thrown for bad command-line input; main prints the message and the usage, and exits 2. */
export class UsageError extends Error {}

/** node:util parseArgs, with its errors (unknown option, missing value) turned into usage errors. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

import { spawn, type SpawnOptions } from 'node:child_process';

export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  spawnError?: NodeJS.ErrnoException;
}

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  signal?: AbortSignal;
  onStdout?(text: string): void;
  onStderr?(text: string): void;
  /** Keep only the last N characters of each stream (long-running commands). */
  keep?: number;
  detached?: boolean;
  onSpawn?(pid: number): void;
}

/**
 * Runs a program (argv, never a shell line) and collects its output. Resolves on 'exit' plus drained pipes,
 * or on 'exit' alone after a short grace: an ssh ControlPersist master may inherit and hold the pipes.
 */
export function execFile(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    const spawnOptions: SpawnOptions = {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: options.detached,
    };
    const child = spawn(command, args, spawnOptions);
    const keep = options.keep ?? Infinity;
    let stdout = '';
    let stderr = '';
    let settled = false;
    let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let openStreams = 2;
    const finish = (spawnError?: NodeJS.ErrnoException): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ code: exitInfo?.code ?? null, signal: exitInfo?.signal ?? null, stdout, stderr, spawnError });
    };
    const onAbort = (): void => {
      try {
        if (options.detached && child.pid) process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      } catch {
        /* already gone */
      }
    };
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => {
      stdout = (stdout + text).slice(-keep);
      options.onStdout?.(text);
    });
    child.stderr?.on('data', (text: string) => {
      stderr = (stderr + text).slice(-keep);
      options.onStderr?.(text);
    });
    const streamDone = (): void => {
      openStreams -= 1;
      if (openStreams === 0 && exitInfo) finish();
    };
    child.stdout?.on('close', streamDone);
    child.stderr?.on('close', streamDone);
    child.on('error', (error: NodeJS.ErrnoException) => {
      exitInfo = exitInfo ?? { code: null, signal: null };
      finish(error);
    });
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      if (openStreams === 0) finish();
      else setTimeout(() => finish(), 200).unref();
    });
    if (options.input !== undefined) {
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input);
    }
    if (options.signal) {
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
    }
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

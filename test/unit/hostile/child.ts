import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..', '..');

export interface ChildResult {
  /** null when the child was killed at the limit (it hung) or by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the child was still running at the limit and was killed: the thing under test hung. */
  killed: boolean;
}

const KEEP = 32 << 20;

/**
 * Runs `node ARGS` (TypeScript through tsx) in its own process, killed after `limitMs`: a hang under test fails
 * the test instead of the test run. Only the first 32 MiB of each stream are kept.
 */
export function runNode(args: string[], options: { cwd?: string; limitMs?: number; env?: NodeJS.ProcessEnv; maxOldSpaceMb?: number } = {}): Promise<ChildResult> {
  const heap = options.maxOldSpaceMb ? [`--max-old-space-size=${options.maxOldSpaceMb}`] : [];
  const child = spawn(process.execPath, [...heap, '--require', require.resolve('tsx/cjs'), ...args], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    if (stdout.length < KEEP) stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < KEEP) stderr += chunk.toString();
  });
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, options.limitMs ?? 60_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, killed });
    });
  });
}

/** `porta ARGS` from this checkout's sources, in a child process killed after `limitMs`. */
export function portaChild(args: string[], cwd: string, limitMs = 60_000): Promise<ChildResult> {
  return runNode([path.join(REPO, 'src', 'cli.ts'), ...args], { cwd, limitMs });
}

/** Runs a CommonJS snippet that may `require()` this checkout's TypeScript sources (paths relative to REPO). */
export function runSnippet(code: string, limitMs = 60_000): Promise<ChildResult> {
  return runNode(['-e', code], { cwd: REPO, limitMs });
}

import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';

export const REPO = path.resolve(__dirname, '../../..');
/** Debian's interpreter with python3-torch 1.13 (a `python3` on PATH may lack torch). */
export const PYTHON = process.env.PORTA_TEST_PYTHON ?? '/usr/bin/python3';

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runPython(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(PYTHON, args, { cwd: options.cwd, env: { ...process.env, OMP_NUM_THREADS: '1', ...options.env }, timeout: 120_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
  });
}

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs `porta ARGS` through the real CLI entry point, in-process. */
export async function porta(args: string[], cwd = REPO): Promise<ProcessResult> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await main(args, { stdout, stderr, cwd, env: process.env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Runs tasks at most `limit` at a time (the CI machine has two cores). */
export async function pool<T>(tasks: Array<() => Promise<T>>, limit = 2): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

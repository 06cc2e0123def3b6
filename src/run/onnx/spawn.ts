import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { WorkerRequest, WorkerResponse } from './types';

/**
 * Where the worker lives: bundled builds ship dist/onnx-worker.js beside dist/cli.js and dist/extension.js;
 * from source (tests, bench) the TypeScript file runs through tsx.
 */
export function workerEntry(): { path: string; execArgv: string[] } {
  const bundled = join(__dirname, 'onnx-worker.js');
  if (existsSync(bundled)) return { path: bundled, execArgv: [] };
  return { path: join(__dirname, 'worker.ts'), execArgv: ['--require', createRequire(__filename).resolve('tsx/cjs')] };
}

/**
 * V8 settings of the worker process. A lower interrupt budget lets V8 optimise ONNX Runtime's JS path (session.run,
 * Tensor construction) after a few hundred runs instead of a few thousand, so the timed loop of a fresh process
 * does not pay for baseline-tier code that a long-lived process would long have optimised (see jitWarmup.ts).
 */
export const WORKER_V8_FLAGS = ['--interrupt-budget=8192'];

/**
 * Only plain Node gets the V8 flag: in VS Code desktop the worker is Electron's Node (ELECTRON_RUN_AS_NODE), whose V8
 * may drop or rename the flag, and an unknown flag stops the process before it starts. The JIT warm-up still runs there.
 */
function workerV8Flags(): string[] {
  return process.versions.electron ? [] : WORKER_V8_FLAGS;
}

export interface SpawnOptions {
  /** Kill the worker after this many milliseconds. */
  timeoutMs: number;
  /** Receives the worker's stderr (ONNX Runtime's own logging), line by line. */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** Runs one WorkerRequest in a fresh child process; a crash, a timeout or a cancel become a failure, never a throw. */
export function runWorker(request: WorkerRequest, options: SpawnOptions): Promise<WorkerResponse> {
  const entry = workerEntry();
  return new Promise((resolve) => {
    const child = fork(entry.path, [], {
      execArgv: [...workerV8Flags(), ...entry.execArgv],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let response: WorkerResponse | undefined;
    let stderrTail = '';
    let stopped: string | undefined;
    const onLines = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stderrTail = (stderrTail + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) options.log?.(line);
    };
    child.stdout?.on('data', onLines);
    child.stderr?.on('data', onLines);
    const stop = (why: string) => {
      stopped = why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(`timed out after ${Math.round(options.timeoutMs / 1000)} s`), options.timeoutMs);
    const onAbort = () => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('message', (message: WorkerResponse) => {
      response = message;
    });
    child.on('error', (error) => {
      stopped ??= `could not start the benchmark worker: ${error.message}`;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (response) return resolve(response);
      const lastLines = stderrTail.trim().split('\n').slice(-3).join(' | ');
      const why = stopped ?? `the benchmark worker died (${signal ? `signal ${signal}` : `exit code ${code}`})${lastLines ? `: ${lastLines}` : ''}`;
      resolve({ ok: false, stage: 'internal', message: why });
    });
    child.send(request);
  });
}

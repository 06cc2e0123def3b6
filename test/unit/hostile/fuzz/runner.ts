import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { Failure, FuzzCase } from './cases';

type Reply = { ready: true } | { id: number; failures: Failure[] };

/**
 * Runs cases in a checker child process with a watchdog: a case that does not answer within `timeoutMs` is a hang,
 * and a child that dies is a crash. Either way the child is replaced and the next case runs in a fresh one.
 */
export class CaseRunner {
  private child: ChildProcess | undefined;
  private starting: Promise<ChildProcess> | undefined;
  private nextId = 0;

  constructor(private readonly timeoutMs: number) {}

  private spawn(): Promise<ChildProcess> {
    this.starting ??= new Promise<ChildProcess>((resolve, reject) => {
      const child = fork(path.join(__dirname, 'child.ts'), [], {
        execArgv: ['--require', require.resolve('tsx/cjs')],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
      });
      const onExit = (code: number | null, signal: string | null) => reject(new Error(`the checker process exited before it was ready (${signal ?? code})`));
      child.once('exit', onExit);
      child.once('message', (reply: Reply) => {
        child.off('exit', onExit);
        if ('ready' in reply) resolve(child);
        else reject(new Error('the checker process answered before it was ready'));
      });
    }).then(
      (child) => {
        this.child = child;
        return child;
      },
      (error: unknown) => {
        this.starting = undefined;
        throw error;
      },
    );
    return this.starting;
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    this.starting = undefined;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  /** Starts the checker process now (it loads the grammars), so the first case's time is its own. */
  async start(): Promise<void> {
    await this.spawn();
  }

  /** The case's failures; a hang or a dead process is one failure of its own. */
  async run(fuzzCase: FuzzCase): Promise<Failure[]> {
    const child = await this.spawn();
    const id = this.nextId++;
    return new Promise<Failure[]>((resolve) => {
      const finish = (failures: Failure[]): void => {
        clearTimeout(watchdog);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(failures);
      };
      const onMessage = (reply: Reply): void => {
        if ('id' in reply && reply.id === id) finish(reply.failures);
      };
      const onExit = (code: number | null, signal: string | null): void => {
        this.kill();
        finish([{ check: 'crash', message: `the checker process died (${signal ?? `exit code ${code}`})` }]);
      };
      const watchdog = setTimeout(() => {
        this.kill();
        finish([{ check: 'hang', message: `no answer within ${this.timeoutMs / 1000} s (the process was killed)` }]);
      }, this.timeoutMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ id, fuzzCase });
    });
  }

  close(): void {
    const child = this.child;
    this.child = undefined;
    this.starting = undefined;
    // The checker's python3 helper ends with it (its stdin closes).
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

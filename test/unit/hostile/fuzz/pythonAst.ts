import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * CPython's own parser (`ast.parse`) as a second opinion on Python text, in one long-lived python3 process (one
 * JSON line in, "ok" or "err MESSAGE" out), so checking a case costs no process start.
 */
const SCRIPT = `
import ast, json, sys
for line in sys.stdin:
    try:
        ast.parse(json.loads(line))
        print("ok", flush=True)
    except Exception as error:
        print("err " + type(error).__name__ + ": " + str(error).replace("\\n", " "), flush=True)
`;

export class PythonAst {
  private child: ChildProcessWithoutNullStreams | undefined;
  private waiting: Array<(line: string) => void> = [];

  private constructor(python: string) {
    const child = spawn(python, ['-c', SCRIPT], { stdio: 'pipe' });
    child.on('error', () => this.stop());
    child.on('exit', () => this.stop());
    createInterface({ input: child.stdout }).on('line', (line) => this.waiting.shift()?.(line));
    this.child = child;
  }

  /** A checker, or undefined when no python3 can start. */
  static async start(python = process.env.PORTA_TEST_PYTHON ?? 'python3'): Promise<PythonAst | undefined> {
    const checker = new PythonAst(python);
    const ready = await checker.parse('pass').catch(() => undefined);
    return ready?.ok ? checker : undefined;
  }

  /** Whether CPython parses `text`, with its error message when it does not. */
  parse(text: string): Promise<{ ok: boolean; error?: string }> {
    const child = this.child;
    if (!child) return Promise.reject(new Error('python3 is not running'));
    return new Promise((resolve, reject) => {
      this.waiting.push((line) => (line === 'ok' ? resolve({ ok: true }) : line.startsWith('err ') ? resolve({ ok: false, error: line.slice(4) }) : reject(new Error(line))));
      child.stdin.write(JSON.stringify(text) + '\n');
    });
  }

  stop(): void {
    const child = this.child;
    this.child = undefined;
    for (const waiter of this.waiting.splice(0)) waiter('python3 exited');
    if (child && child.exitCode === null) child.kill();
  }
}

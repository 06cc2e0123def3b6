/**
 * Run latency on loopback (real sshd, real rsync, /usr/bin/python3):
 *  - `porta run` → first log line of a trivial script with a warm SSH connection (target ≤ 1.0 s),
 *    with Python start-up (reported by the harness) shown separately;
 *  - a no-op re-sync of the workspace (target ≤ 0.5 s);
 * each as a ratio against bare `ssh host true` over the same master connection, measured in the same run.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd } from '../test/setup/sshd';
import { startRun } from '../src/run/launch';
import { findTarget, loadTargets, type SshTarget } from '../src/run/targets/config';
import { SshAdapter } from '../src/run/targets/ssh';

const ROUNDS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Milliseconds from spawning `porta run` to its first line of script output. */
function cliFirstLine(cli: string, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first: number | undefined;
    const child = spawn(process.execPath, [cli, 'run', '--target', 'box', '--backend', 'cpu', '--', 'hello.py'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], env: process.env });
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      if (first === undefined && text.split('\n').some((line) => line && !line.startsWith('[porta]'))) first = performance.now() - started;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && first !== undefined ? resolve(first) : reject(new Error(`porta run exited ${code}`))));
  });
}

function fmt(ms: number): string {
  return `${ms.toFixed(0)} ms`;
}

export async function run(): Promise<void> {
  const sshd = await startSshd();
  const saved = process.env.PORTA_SSH_CONTROL_DIR;
  process.env.PORTA_SSH_CONTROL_DIR = join(sshd.dir, 'cm');
  const root = mkdtempSync(join(tmpdir(), 'porta-bench-runs-'));
  try {
    // A small workspace: the trivial script plus ~200 files that a re-sync has to compare.
    writeFileSync(join(root, 'hello.py'), 'print("hello", flush=True)\n');
    mkdirSync(join(root, 'pkg'));
    for (let i = 0; i < 200; i++) writeFileSync(join(root, 'pkg', `m${i}.py`), `X = ${i}\n`.repeat(50));
    writeFileSync(join(root, 'porta.toml'), [
      '[targets.box]', 'kind = "ssh"', `host = "${sshd.alias}"`, `ssh_config = "${sshd.configFile}"`,
      'python = "/usr/bin/python3"', `workdir = "${join(sshd.dir, 'remote')}"`, '',
    ].join('\n'));
    const target = findTarget(await loadTargets(root), 'box') as SshTarget;
    const adapter = new SshAdapter(target, root);
    const coldStart = Date.now();
    await adapter.sync();
    console.log(`first connect + full sync (cold):            ${fmt(Date.now() - coldStart)}`);

    const sshTrue: number[] = [];
    const resync: number[] = [];
    const firstLine: number[] = [];
    const startup: number[] = [];
    const pythonBare: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let t = performance.now();
      await adapter.shell('true');
      sshTrue.push(performance.now() - t);

      t = performance.now();
      await adapter.syncWorkspace();
      resync.push(performance.now() - t);

      t = performance.now();
      await adapter.shell("/usr/bin/python3 -c 'print(1)'");
      pythonBare.push(performance.now() - t);

      t = performance.now();
      let first: number | undefined;
      const handle = await startRun({ workspaceRoot: root, target, script: 'hello.py', backend: 'cpu' }, {
        onLog: (text) => {
          if (first === undefined && !text.startsWith('[porta]')) first = performance.now() - t;
        },
      });
      const record = await handle.done;
      if (record.status !== 'succeeded') throw new Error(`bench run failed: ${record.error}`);
      firstLine.push(first ?? NaN);
      startup.push(record.metrics.startupMs ?? NaN);
    }
    const base = median(sshTrue);
    const line = median(firstLine);
    const py = median(startup);
    console.log(`baseline: ssh host true over the master:     ${fmt(base)} (median of ${ROUNDS})`);
    console.log(`baseline: ssh host python3 -c print(1):      ${fmt(median(pythonBare))}`);
    console.log(`no-op re-sync (rsync --delete, 200 files):   ${fmt(median(resync))}  ratio ${(median(resync) / base).toFixed(1)}x ssh-true  target ≤ 500 ms ${median(resync) <= 500 ? 'OK' : 'MISSED'}`);
    console.log(`porta run → first log line (warm, sync incl.): ${fmt(line)}  ratio ${(line / base).toFixed(1)}x ssh-true`);
    console.log(`  of which remote shell + Python start-up:     ${fmt(py)}`);
    console.log(`  excluding Python start-up:                 ${fmt(line - py)}  target ≤ 1000 ms ${line - py <= 1000 ? 'OK' : 'MISSED'}`);
    // The same through the bundled CLI process (node start-up and module loading included), when it is built.
    const cli = join(__dirname, '..', 'dist', 'cli.js');
    if (existsSync(cli)) {
      const cliTimes: number[] = [];
      for (let round = 0; round < 3; round++) cliTimes.push(await cliFirstLine(cli, root));
      console.log(`node dist/cli.js run → first log line:         ${fmt(median(cliTimes))}  ratio ${(median(cliTimes) / base).toFixed(1)}x ssh-true (remote shell + Python start-up ≈ ${fmt(py)} of it)`);
    } else {
      console.log('node dist/cli.js run: skipped (run `npm run build` first)');
    }
    await adapter.disconnect();
  } finally {
    if (saved === undefined) delete process.env.PORTA_SSH_CONTROL_DIR;
    else process.env.PORTA_SSH_CONTROL_DIR = saved;
    await sshd.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

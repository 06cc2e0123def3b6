import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main';
import type { MultiTargetResult } from '../../../src/cli/multiTarget';
import { RunHistory } from '../../../src/run/history';
import { startRun } from '../../../src/run/launch';
import { runOnTargets } from '../../../src/run/multi/runOnTargets';
import { localLeftovers } from '../../../src/run/targets/local';
import { freePort } from '../../setup/ports';
import { slurmInstalled, startSlurm, type TestSlurm } from '../../setup/slurm';
import { startSshd, type TestSshd } from '../../setup/sshd';
import { addModel } from '../../fixtures/onnx/build';
import { PYTHON, TORCH_SCRIPT, hostileWorkspace, writeScript } from './helpers';

function capture(): Writable & { text: string } {
  const stream = new Writable({ write(chunk: Buffer, _e, cb) { stream.text += chunk.toString(); cb(); } }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

async function porta(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { stdout, stderr, cwd, env: process.env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

// The ssh "remote" benchmarks with this machine's onnxruntime-node, found through NODE_PATH (see test/unit/onnx/remote.test.ts).
const NODE_MODULES = dirname(dirname(require.resolve('onnxruntime-node/package.json')));

describe('one action on many targets: local + ssh + slurm (real sshd and one-node Slurm)', function () {
  this.timeout(180000);
  let slurm: TestSlurm;
  let sshd: TestSshd;
  let root: string;
  const savedConf = process.env.SLURM_CONF;

  before(async function () {
    if (!slurmInstalled()) this.skip();
    slurm = await startSlurm();
    process.env.SLURM_CONF = slurm.conf;
    sshd = await startSshd();
    process.env.PORTA_SSH_CONTROL_DIR = join(sshd.dir, 'cm');
    root = hostileWorkspace();
    const closedPort = await freePort();
    writeFileSync(join(root, 'porta.toml'), [
      // Priced, as the proof asks: per hour on local and ssh, per node-hour on Slurm.
      '[targets.local]', 'kind = "local"', `python = "${PYTHON}"`, 'price_per_hour = 0.5',
      '[targets.box]', 'kind = "ssh"', `host = "${sshd.alias}"`, `ssh_config = "${sshd.configFile}"`, `python = "${PYTHON}"`, `workdir = "${join(sshd.dir, 'remote')}"`, `env = { NODE_PATH = "${NODE_MODULES}" }`, 'price_per_hour = 2.5',
      '[targets.cluster]', 'kind = "slurm"', 'partition = "debug"', `python = "${PYTHON}"`, 'sbatch_args = ["--time=00:05:00"]', 'poll_ms = 300', 'price_per_node_hour = 4',
      // Nothing listens there: the connection is refused at once.
      '[targets.down]', 'kind = "ssh"', 'host = "127.0.0.1"', `port = ${closedPort}`, `known_hosts = "${sshd.knownHosts}"`, `identity_file = "${sshd.identity}"`, 'connect_timeout = 3', '',
    ].join('\n'));
    // Seeded, so every target reports the same loss and the comparison judges them equal.
    writeFileSync(join(root, 'add.onnx'), addModel());
    writeScript(root, 'train.py', TORCH_SCRIPT.replace('import torch\n', 'import torch\ntorch.manual_seed(0)\n'));
  });

  after(async () => {
    delete process.env.PORTA_SSH_CONTROL_DIR;
    if (savedConf === undefined) delete process.env.SLURM_CONF;
    else process.env.SLURM_CONF = savedConf;
    await sshd?.stop();
    await slurm?.stop();
    if (root) rmSync(join(root, '..'), { recursive: true, force: true });
  });

  it('porta run --target local,box,cluster on priced targets gives three costed records, one comparison with cost per target and the chosen best target', async () => {
    const text = await porta(root, 'run', '--target', 'local,box,cluster', '--', 'train.py');
    assert.equal(text.code, 0, text.stderr + text.stdout);
    for (const t of ['local', 'box', 'cluster']) assert.match(text.stdout, new RegExp(`^\\[${t}\\] +done on cpu$`, 'm'));
    assert.match(text.stdout, /run cost/);
    for (const t of ['local', 'box', 'cluster']) assert.match(text.stdout, new RegExp(`^\\S+ +${t}/\\S+ +succeeded .* \\d[\\d.e-]* USD `, 'm'), `${t} has a cost in the table`);
    assert.match(text.stdout, /^best target \(objective latency\): (local|box|cluster)\/\S+\. \S+ wins on latency: wall time [\d.]+ s.*USD for the run/m);
    assert.match(text.stderr, /3 of 3 targets succeeded/);

    const json = await porta(root, 'run', '--json', '--objective', 'cost', '--target', 'local,box,cluster', '--', 'train.py');
    assert.equal(json.code, 0, json.stderr);
    const result = JSON.parse(json.stdout) as MultiTargetResult;
    assert.deepEqual(result.runs.map((r) => [r.target, r.status]), [['local', 'succeeded'], ['box', 'succeeded'], ['cluster', 'succeeded']]);
    const records = await new RunHistory(root).list();
    const costs = result.runs.map((r) => records.find((x) => x.id === r.id)?.cost);
    assert.deepEqual(costs.map((c) => c?.currency), ['USD', 'USD', 'USD'], 'each of the three records has a cost');
    assert.match(costs[0]!.basis, /× 0\.50 USD\/h$/);
    assert.match(costs[1]!.basis, /× 2\.50 USD\/h$/);
    assert.match(costs[2]!.basis, /^elapsed .* × 1 node × 4\.00 USD\/node-h$/);
    const rows = result.comparison!.rows;
    assert.deepEqual(rows.map((r) => r.target), ['local', 'box', 'cluster']);
    assert.deepEqual(rows.map((r) => r.cost?.amount), costs.map((c) => c!.amount), 'the comparison shows the cost per target');
    assert.equal(rows.filter((r) => r.vsReference?.metrics.some((m) => m.name === 'loss')).length, 2);
    // The shared chooseTarget, the same object in `choice` and `comparison.choice`: cheapest per run wins.
    const choice = result.choice!;
    assert.deepEqual(result.comparison!.choice, choice);
    assert.equal(choice.objective, 'cost');
    assert.equal(choice.costBasis, 'per run');
    const cheapest = rows.reduce((a, b) => (b.cost!.amount < a.cost!.amount ? b : a));
    assert.equal(choice.best, cheapest.key);
    assert.match(choice.reason, new RegExp(`^${cheapest.label.replace(/[/.]/g, '\\$&')} wins on cost: [\\d.e-]+ USD for the run`));
  });

  it('an unreachable target fails alone: the others succeed and the exit code is 1', async () => {
    const { code, stdout, stderr } = await porta(root, 'run', '--json', '--target', 'local,down,cluster', '--', 'train.py');
    assert.equal(code, 1, stderr);
    const result = JSON.parse(stdout) as MultiTargetResult;
    assert.deepEqual(result.runs.map((r) => [r.target, r.status]), [['local', 'succeeded'], ['down', 'failed'], ['cluster', 'succeeded']]);
    assert.match(result.runs[1].error ?? '', /refused|unreachable|cannot/i);
    assert.ok(result.choice?.best && !result.choice.best.startsWith(result.runs[1].id ?? 'down'), JSON.stringify(result.choice));
    assert.ok(result.choice.excluded.some((e) => e.why.startsWith('did not run')) || !result.comparison!.rows.some((r) => r.target === 'down'));
    assert.match(stderr, /^\[down\] +porta: run \S+ failed/m);
  });

  it('porta bench --target local,box,down benchmarks on each, compares them and fails only the unreachable one', async () => {
    const { code, stdout, stderr } = await porta(root, 'bench', 'add.onnx', '--iterations', '10', '--warmup', '1', '--json', '--target', 'local,box,down');
    assert.equal(code, 1, stderr);
    const result = JSON.parse(stdout) as MultiTargetResult;
    assert.deepEqual(result.runs.map((r) => [r.target, r.status]), [['local', 'succeeded'], ['box', 'succeeded'], ['down', 'failed']]);
    assert.deepEqual(result.comparison?.rows.filter((r) => r.available).map((r) => r.label), ['local/cpu', 'box/cpu']);
    assert.equal(result.choice?.speedMetric, 'p50');
    assert.equal(result.choice?.costBasis, 'per 1k inferences');
    for (const r of result.comparison!.rows.filter((x) => x.available)) assert.ok(r.costPer1kInferences! > 0, `${r.label} has a cost per 1,000 inferences`);
    assert.ok(['local/cpu', 'box/cpu'].includes(result.choice!.bestLabel!), JSON.stringify(result.choice));
    assert.match(stderr, /^\[box\] +\[porta\] syncing the workspace to box$/m);
  });

  it('cancelling cancels every target and leaves no process behind', async () => {
    const controller = new AbortController();
    const logs = new Map<string, string>();
    const promise = runOnTargets({
      targets: ['local', 'box', 'cluster'],
      signal: controller.signal,
      onLog: (t, text) => logs.set(t, (logs.get(t) ?? '') + text),
      start: async (target, io) => (await startRun({ workspaceRoot: root, target, script: 'train.py', args: ['--sleep'] }, io)).done,
    });
    const deadline = Date.now() + 90000;
    while (!['local', 'box', 'cluster'].every((t) => logs.get(t)?.includes('sleeping with child'))) {
      assert.ok(Date.now() < deadline, `not all started: ${JSON.stringify([...logs])}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    controller.abort();
    const outcomes = await promise;
    assert.deepEqual(outcomes.map((o) => o.record?.status), ['cancelled', 'cancelled', 'cancelled']);
    for (const o of outcomes) assert.deepEqual(await localLeftovers(`porta-run-${o.record!.id}`), [], o.target);
  });

  it('Ctrl+C on porta run --target local,box,cluster cancels all three (exit 130) and leaves no process behind', async () => {
    const repo = resolve(__dirname, '..', '..', '..');
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(repo, 'src', 'cli.ts'), 'run', '--target', 'local,box,cluster', '--', 'train.py', '--sleep'], { cwd: root, env: process.env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const deadline = Date.now() + 90000;
    while (!['local', 'box', 'cluster'].every((t) => new RegExp(`^\\[${t}\\] +sleeping with child`, 'm').test(out))) {
      assert.ok(Date.now() < deadline, `not all started:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGINT');
    assert.equal(await exited, 130, out);
    const ids = [...out.matchAll(/^\[(local|box|cluster)\] +porta: run (\S+) cancelled$/gm)].map((m) => m[2]);
    assert.equal(ids.length, 3, out);
    for (const id of ids) assert.deepEqual(await localLeftovers(`porta-run-${id}`), [], id);
  });
});

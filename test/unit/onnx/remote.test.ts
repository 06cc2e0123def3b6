import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startSshd, type TestSshd } from '../../setup/sshd';
import { execFileSync } from 'node:child_process';
import { benchmarkOnTarget, probeRuntime } from '../../../src/run/onnx/remote';
import { PYTHON_WORKER } from '../../../src/run/onnx/pythonWorker';
import { RunHistory } from '../../../src/run/history';
import { findTarget, loadTargets } from '../../../src/run/targets/config';
import { adapterFor } from '../../../src/run/targets/factory';
import { addModel } from '../../fixtures/onnx/build';

// The "remote" is this machine over a real loopback sshd. Its Node finds onnxruntime-node through NODE_PATH set in
// the target's env (as an install on a real host would); Debian's python3 has no onnxruntime module.
const NODE_MODULES = dirname(dirname(require.resolve('onnxruntime-node/package.json')));

describe('onnx benchmark on an SSH target (real loopback sshd)', function () {
  this.timeout(120_000);
  let sshd: TestSshd;
  let root: string;

  before(async () => {
    sshd = await startSshd();
    process.env.PORTA_SSH_CONTROL_DIR = join(sshd.dir, 'cm');
    root = mkdtempSync(join(tmpdir(), 'porta-onnx-remote-'));
    const remote = join(sshd.dir, 'remote');
    const common = ['kind = "ssh"', `host = "${sshd.alias}"`, `ssh_config = "${sshd.configFile}"`, 'python = "/usr/bin/python3"', `workdir = "${remote}"`];
    writeFileSync(join(root, 'porta.toml'), [
      '[targets.withnode]', ...common, `env = { NODE_PATH = "${NODE_MODULES}" }`,
      '[targets.bare]', ...common, 'env = { NODE_PATH = "/nonexistent" }',
      '',
    ].join('\n'));
    writeFileSync(join(root, 'add.onnx'), addModel());
    writeFileSync(join(root, 'broken.onnx'), addModel().slice(0, 25));
  });

  after(async () => {
    await sshd?.stop();
    delete process.env.PORTA_SSH_CONTROL_DIR;
    rmSync(root, { recursive: true, force: true });
  });

  it('finds Node onnxruntime-node on the target when Python has no onnxruntime', async () => {
    const target = findTarget(await loadTargets(root), 'withnode');
    const adapter = adapterFor(target, root);
    try {
      await adapter.sync();
      const runtime = await probeRuntime(adapter, target);
      assert.equal(runtime.kind, 'node');
    } finally {
      await adapter.close();
    }
  });

  it('benchmarks with the target\'s own runtime and records the run with the target\'s name', async () => {
    const record = await benchmarkOnTarget({ workspaceRoot: root, model: join(root, 'add.onnx'), providers: ['cpu', 'webgpu'], iterations: 10, warmup: 1, target: 'withnode' });
    assert.equal(record.status, 'succeeded', record.error);
    assert.equal(record.target, 'withnode');
    assert.equal(record.targetKind, 'ssh');
    const [cpu, webgpu] = record.providers ?? [];
    assert.equal(cpu.metrics?.latencyMs?.samples, 10);
    assert.equal(cpu.metrics?.outputs?.[0].shape.join('x'), '1x4');
    assert.equal(webgpu.available, false);
    assert.match(webgpu.reason ?? '', /WebGPU adapter/);
    const stored = await new RunHistory(root).get(record.id);
    assert.equal(stored?.status, 'succeeded');
  });

  it('records a failed benchmark for a corrupt model on the target', async () => {
    const record = await benchmarkOnTarget({ workspaceRoot: root, model: join(root, 'broken.onnx'), iterations: 2, target: 'withnode' });
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /not a valid ONNX model/);
  });

  it('ships a Python worker that compiles (it runs only where Python onnxruntime exists, which is not here)', () => {
    const out = execFileSync('/usr/bin/python3', ['-c', 'import sys; compile(sys.stdin.read(), "porta_worker", "exec"); print("ok")'], { input: PYTHON_WORKER }).toString();
    assert.equal(out.trim(), 'ok');
  });

  it('says clearly when the target has neither Python onnxruntime nor Node onnxruntime-node', async () => {
    const record = await benchmarkOnTarget({ workspaceRoot: root, model: join(root, 'add.onnx'), iterations: 2, target: 'bare' });
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /neither Python onnxruntime nor Node onnxruntime-node is installed on target 'bare'/);
    assert.match(record.error ?? '', /No module named 'onnxruntime'/);
  });
});

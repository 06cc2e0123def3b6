import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { slurmInstalled, startSlurm, type TestSlurm } from '../../setup/slurm';
import { benchmarkOnTarget } from '../../../src/run/onnx/remote';
import { addModel } from '../../fixtures/onnx/build';

const NODE_MODULES = dirname(dirname(require.resolve('onnxruntime-node/package.json')));

describe('onnx benchmark on a Slurm target (real one-node cluster, srun on the compute node)', function () {
  this.timeout(120_000);
  let slurm: TestSlurm;
  let root: string;
  const savedConf = process.env.SLURM_CONF;

  before(async function () {
    if (!slurmInstalled()) this.skip();
    slurm = await startSlurm();
    process.env.SLURM_CONF = slurm.conf;
    root = mkdtempSync(join(tmpdir(), 'porta-onnx-slurm-'));
    writeFileSync(join(root, 'porta.toml'), [
      '[targets.cluster]', 'kind = "slurm"', 'partition = "debug"', 'python = "/usr/bin/python3"', `env = { NODE_PATH = "${NODE_MODULES}" }`, '',
    ].join('\n'));
    writeFileSync(join(root, 'add.onnx'), addModel());
  });

  after(async () => {
    await slurm?.stop();
    if (savedConf === undefined) delete process.env.SLURM_CONF;
    else process.env.SLURM_CONF = savedConf;
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('benchmarks through srun with the node\'s onnxruntime-node and records the run', async () => {
    const record = await benchmarkOnTarget({ workspaceRoot: root, model: join(root, 'add.onnx'), providers: ['cpu'], iterations: 5, warmup: 1, target: 'cluster' });
    assert.equal(record.status, 'succeeded', record.error);
    assert.equal(record.targetKind, 'slurm');
    assert.equal(record.providers?.[0].metrics?.latencyMs?.samples, 5);
  });
});

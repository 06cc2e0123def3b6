import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  costPer1kInferences, describeRunCost, formatMoney, gpusInTres, parseSacctUsage, parseScontrolUsage, parseSlurmDuration, slurmCost, wallCost,
} from '../../../src/run/cost';
import { runCost, startRun } from '../../../src/run/launch';
import { formatBenchRecord } from '../../../src/run/onnx/format';
import type { RunRecord } from '../../../src/run/record';
import { runRecordProblem } from '../../../src/run/recordShape';
import { parseTargetsToml, TargetError, type LocalTarget } from '../../../src/run/targets/config';
import { PYTHON, writeScript } from './helpers';

const parse = (text: string) => parseTargetsToml(text, '/w/porta.toml');

describe('target prices in porta.toml', () => {
  it('reads price_per_hour with USD by default, and another currency when given', () => {
    const [local, box] = parse('[targets.local]\nkind = "local"\nprice_per_hour = 0.4\n[targets.box]\nkind = "ssh"\nhost = "box"\nprice_per_hour = 3\ncurrency = "EUR"\n');
    assert.deepEqual(local.price, { perHour: 0.4, perNodeHour: undefined, perGpuHour: undefined, currency: 'USD' });
    assert.equal(box.price?.perHour, 3);
    assert.equal(box.price?.currency, 'EUR');
  });

  it('reads a Slurm price per node-hour or per GPU-hour, and leaves unpriced targets without one', () => {
    const [nodes, gpus, free] = parse('[targets.a]\nkind = "slurm"\nprice_per_node_hour = 1.2\n[targets.b]\nkind = "slurm"\nprice_per_gpu_hour = 2.5\n[targets.c]\nkind = "local"\n');
    assert.equal(nodes.price?.perNodeHour, 1.2);
    assert.equal(gpus.price?.perGpuHour, 2.5);
    assert.equal(free.price, undefined, 'no price is not a price of 0');
  });

  const bad: Array<[string, RegExp]> = [
    ['kind = "local"\nprice_per_hour = -1', /targets\.t\.price_per_hour must be a non-negative number .*got -1/],
    ['kind = "local"\nprice_per_hour = "2.50"', /targets\.t\.price_per_hour must be a non-negative number .*got "2\.50"/],
    ['kind = "local"\nprice_per_hour = inf', /price_per_hour must be a non-negative number .*got Infinity/],
    ['kind = "local"\nprice_per_hour = nan', /price_per_hour must be a non-negative number .*got NaN/],
    ['kind = "local"\nprice_per_hour = 1\ncurrency = "usd"', /targets\.t\.currency must be a three-letter currency code/],
    ['kind = "local"\nprice_per_hour = 1\ncurrency = "DOLLARS"', /currency must be a three-letter currency code/],
    ['kind = "local"\ncurrency = "EUR"', /targets\.t\.currency is set but the target has no price/],
    ['kind = "local"\nprice_per_gpu_hour = 1', /targets\.t\.price_per_gpu_hour applies to slurm targets only/],
    ['kind = "ssh"\nhost = "h"\nprice_per_node_hour = 1', /price_per_node_hour applies to slurm targets only/],
    ['kind = "slurm"\nprice_per_node_hour = 1\nprice_per_gpu_hour = 2', /give one of price_per_hour, price_per_node_hour and price_per_gpu_hour/],
    ['kind = "local"\nprice_per_houre = 1', /targets\.t\.price_per_houre is not a known key/],
  ];
  for (const [body, message] of bad) {
    it(`refuses ${body.split('\n').slice(1).join('; ')}`, () => {
      assert.throws(() => parse(`[targets.t]\n${body}\n`), (error: unknown) => error instanceof TargetError && message.test(error.message) && error.message.startsWith('/w/porta.toml: '));
    });
  }
});

describe('run cost', () => {
  const usd = (extra: object) => ({ currency: 'USD', ...extra });

  it('charges wall time at the hourly price, and says how', () => {
    const cost = wallCost(usd({ perHour: 2.5 }), 12_300);
    assert.ok(cost);
    assert.ok(Math.abs(cost.amount - (12.3 / 3600) * 2.5) < 1e-12);
    assert.equal(cost.basis, 'wall 12.3 s × 2.50 USD/h');
    assert.equal(cost.ratePerHour, 2.5);
    assert.equal(wallCost(undefined, 1000), undefined, 'no price: no cost, not 0');
    assert.equal(wallCost(usd({ perGpuHour: 3 }), 1000), undefined, 'a GPU-hour price needs an allocation');
  });

  it('charges a Slurm job its elapsed time × allocation', () => {
    const usage = { elapsedS: 90, nodes: 2, gpus: 4 };
    const nodes = slurmCost(usd({ perNodeHour: 1.2 }), usage)!;
    assert.ok(Math.abs(nodes.amount - 0.025 * 2 * 1.2) < 1e-12);
    assert.equal(nodes.basis, 'elapsed 90.0 s × 2 nodes × 1.20 USD/node-h');
    const gpus = slurmCost({ currency: 'EUR', perGpuHour: 3 }, usage)!;
    assert.ok(Math.abs(gpus.amount - 0.025 * 4 * 3) < 1e-12);
    assert.equal(gpus.basis, 'elapsed 90.0 s × 4 GPUs × 3.00 EUR/GPU-h');
    assert.equal(gpus.currency, 'EUR');
    assert.equal(slurmCost(usd({ perHour: 0.5 }), usage)!.basis, 'elapsed 90.0 s × 0.50 USD/h');
    assert.equal(slurmCost(undefined, usage), undefined);
  });

  it('gives the cost per 1,000 inferences at a throughput', () => {
    assert.ok(Math.abs(costPer1kInferences(3.6, 1000)! - 0.001) < 1e-15);
    assert.equal(costPer1kInferences(undefined, 1000), undefined);
    assert.equal(costPer1kInferences(1, 0), undefined);
  });

  it('reads elapsed time and allocation from scontrol and sacct', () => {
    assert.equal(parseSlurmDuration('1-02:03:04'), 93784);
    assert.equal(parseSlurmDuration('00:01:05'), 65);
    assert.equal(parseSlurmDuration('01:05'), 65);
    assert.equal(parseSlurmDuration('UNLIMITED'), undefined);
    assert.equal(gpusInTres('cpu=2,mem=1G,node=1,billing=2,gres/gpu=4,gres/gpu:a100=4'), 4);
    assert.equal(gpusInTres('cpu=2,gres/gpu:a100=1,gres/gpu:h100=2'), 3);
    assert.equal(gpusInTres('cpu=2,node=1'), 0);
    const scontrol = 'JobId=7 JobName=porta-x\n   JobState=COMPLETED Reason=None\n   RunTime=00:00:07 TimeLimit=00:05:00\n   NumNodes=1 NumCPUs=1 NumTasks=1\n   ReqTRES=cpu=1,mem=100M,node=1\n   AllocTRES=cpu=2,mem=100M,node=1,billing=2,gres/gpu=2\n';
    assert.deepEqual(parseScontrolUsage(scontrol), { elapsedS: 7, nodes: 1, gpus: 2 });
    assert.deepEqual(parseScontrolUsage('   RunTime=00:01:00\n   NumNodes=3-3 NumCPUs=3\n   TRES=cpu=3,node=3\n'), { elapsedS: 60, nodes: 3, gpus: 0 });
    assert.equal(parseScontrolUsage('JobState=PENDING'), undefined);
    assert.deepEqual(parseSacctUsage('42|2|cpu=4,node=2,gres/gpu=8'), { elapsedS: 42, nodes: 2, gpus: 8 });
    assert.equal(parseSacctUsage('||'), undefined);
  });

  it('formats small amounts with enough digits, and zero as zero', () => {
    assert.equal(formatMoney(12.345, 'USD'), '12.35 USD');
    assert.equal(formatMoney(0.004237, 'EUR'), '0.0042 EUR');
    assert.equal(formatMoney(0, 'USD'), '0 USD');
  });

  it('describes a run\'s cost for the dashboard: amount and basis, "no price" when it ran unpriced, nothing when nothing ran', () => {
    assert.equal(describeRunCost({ amount: 0.0042, currency: 'USD', basis: 'wall 6.0 s × 2.50 USD/h' }, true), '0.0042 USD (wall 6.0 s × 2.50 USD/h)');
    assert.equal(describeRunCost(undefined, true), 'no price');
    assert.equal(describeRunCost(undefined, false), undefined);
  });

  it('charges Slurm targets on the job allocation and the others on wall time', () => {
    const local: LocalTarget = { name: 'local', kind: 'local', python: 'python3', env: {}, source: 't', price: { perHour: 3.6, currency: 'USD' } };
    assert.equal(runCost(local, { status: 'succeeded', exitCode: 0 }, 1000)?.amount, 0.001);
    assert.equal(runCost(local, { status: 'failed', exitCode: null }, undefined), undefined, 'nothing ran: no cost');
    const [slurm] = parse('[targets.s]\nkind = "slurm"\nprice_per_node_hour = 3.6\n');
    assert.equal(runCost(slurm, { status: 'succeeded', exitCode: 0 }, 5000), undefined, 'no usage from Slurm: unknown, not the wall time');
    assert.equal(runCost(slurm, { status: 'succeeded', exitCode: 0, usage: { elapsedS: 1, nodes: 2, gpus: 0 } }, 5000)?.amount, 0.002);
  });

  it('a stored record with a malformed cost is skipped with a reason', () => {
    const record = { version: 1, id: 'x', kind: 'script', target: 'local', targetKind: 'local', backend: 'cpu', command: [], entry: 'a.py', startedAt: 't', status: 'succeeded', logFile: 'l', metrics: {} };
    assert.equal(runRecordProblem({ ...record, cost: { amount: 1, currency: 'USD', basis: 'wall' } }, 'x'), undefined);
    assert.equal(runRecordProblem({ ...record, cost: { amount: '1', currency: 'USD', basis: 'wall' } }, 'x'), 'cost is an object of the wrong kind');
    assert.equal(runRecordProblem({ ...record, cost: { amount: 1, currency: '\x1b[2J', basis: 'wall' } }, 'x'), 'cost is an object of the wrong kind', 'a currency is a printed code, never control characters');
  });
});

describe('a priced local run records its cost (real process)', function () {
  this.timeout(60000);
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'porta-cost-'));
    writeScript(root, 'quick.py', 'import time\ntime.sleep(0.2)\nprint("done", flush=True)\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('charges the wall time since the script started at the target price', async () => {
    const target: LocalTarget = { name: 'local', kind: 'local', python: PYTHON, env: {}, source: 'test', price: { perHour: 36, currency: 'EUR' } };
    const record = await (await startRun({ workspaceRoot: root, target, script: 'quick.py', backend: 'cpu' })).done;
    assert.equal(record.status, 'succeeded', record.error);
    assert.ok(record.cost, 'a priced target records a cost');
    assert.equal(record.cost.currency, 'EUR');
    const wallS = Number(/^wall ([\d.]+) s × 36\.00 EUR\/h$/.exec(record.cost.basis)?.[1]);
    assert.ok(wallS >= 0.2, record.cost.basis);
    const total = (Date.parse(record.endedAt!) - Date.parse(record.startedAt)) / 1000;
    assert.ok(wallS <= total + 0.01, `charged ${wallS} s of a ${total} s run`);
    // The amount is the charged wall time at 36 EUR/h (the basis rounds the seconds to 0.01 s).
    assert.ok(Math.abs(record.cost.amount - (wallS / 3600) * 36) < (0.006 / 3600) * 36, `${record.cost.amount} for ${record.cost.basis}`);
  });

  it('records no cost for a target without a price', async () => {
    const target: LocalTarget = { name: 'local', kind: 'local', python: PYTHON, env: {}, source: 'test' };
    const record = await (await startRun({ workspaceRoot: root, target, script: 'quick.py', backend: 'cpu' })).done;
    assert.equal(record.status, 'succeeded', record.error);
    assert.equal(record.cost, undefined);
  });
});

describe('examples/porta.toml', () => {
  it('prices the local target and still parses with every commented target enabled', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'porta.toml'), 'utf8');
    const [local] = parse(text);
    assert.equal(local.name, 'local');
    assert.deepEqual(local.price, { perHour: 0.4, perNodeHour: undefined, perGpuHour: undefined, currency: 'USD' });
    // Uncommenting the ssh and slurm examples gives valid, priced targets.
    const enabled = text.split('\n').map((line) => line.replace(/^# (\[targets\.|[a-z_]+ = )/, '$1')).join('\n');
    const targets = parse(enabled);
    assert.deepEqual(targets.map((t) => [t.name, t.kind, t.price?.perHour ?? t.price?.perGpuHour, t.price?.currency]), [
      ['local', 'local', 0.4, 'USD'], ['gpu-box', 'ssh', 2.5, 'USD'], ['cluster', 'slurm', 3, 'EUR'],
    ]);
  });
});

describe('a benchmark without a cost says exactly why', () => {
  const bench = (target: string, targetKind: RunRecord['targetKind']): RunRecord => ({
    version: 1, id: 'b1', kind: 'onnx-bench', target, targetKind, backend: 'onnxruntime', command: [], entry: 'add.onnx',
    startedAt: '2026-01-01T00:00:00Z', status: 'succeeded', logFile: '/dev/null', metrics: {}, providers: [],
  });

  it('on a Slurm target priced per GPU-hour: no job, so no GPU allocation to charge (not "set price_per_hour")', () => {
    const out = formatBenchRecord(bench('cluster', 'slurm'), { perGpuHour: 3, currency: 'USD' });
    assert.match(out, /^cost: \[targets\.cluster\] is priced per GPU-hour, but porta bench runs on the Slurm target's submit host, outside any job, so there is no GPU allocation to charge; add a target with price_per_node_hour or price_per_hour for benchmarks$/m);
    assert.doesNotMatch(out, /set price_per_hour/);
  });

  it('on a target without any price: "no price" and the key to set', () => {
    assert.match(formatBenchRecord(bench('box', 'ssh')), /^cost: no price \(set price_per_hour for \[targets\.box\] in porta\.toml\)$/m);
  });

  it('a Slurm target priced per node-hour is charged for one node, the host the benchmark ran on', () => {
    assert.match(wallCost({ perNodeHour: 4, currency: 'USD' }, 3_600_000)!.basis, /× 4\.00 USD\/node-h \(1 node\)$/);
    assert.equal(wallCost({ perGpuHour: 4, currency: 'USD' }, 3_600_000), undefined);
  });
});

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main';
import { chooseTarget } from '../../../src/run/choose';
import { compareRuns } from '../../../src/run/compare';
import { formatComparison } from '../../../src/run/compareFormat';
import type { ProviderResult, RunCost, RunRecord } from '../../../src/run/record';

/** A one-provider benchmark record on `target`: p50/p99 in ms, output head, cost at `rate` per hour. */
function bench(id: string, target: string, opts: { p50: number; p99?: number; head?: number[]; rate?: number; currency?: string }): RunRecord {
  const throughput = 1000 / opts.p50;
  const cost: RunCost | undefined = opts.rate === undefined ? undefined : { amount: opts.rate / 360, currency: opts.currency ?? 'USD', basis: `wall 10.0 s × ${opts.rate} ${opts.currency ?? 'USD'}/h`, ratePerHour: opts.rate };
  const provider: ProviderResult = {
    provider: 'cpu', available: true,
    metrics: {
      latencyMs: { min: opts.p50, max: opts.p50 * 3, mean: opts.p50, p50: opts.p50, p90: opts.p50, p95: opts.p50, p99: opts.p99 ?? opts.p50 * 1.5, p999: opts.p50 * 2, samples: 100 },
      throughput, outputs: [{ name: 'y', shape: [1, 3], checksum: `sha256:${(opts.head ?? [1, 2, 3]).join('-')}`, head: opts.head ?? [1, 2, 3] }],
    },
    ...(opts.rate === undefined ? {} : { costPer1kInferences: (opts.rate / 3600 / throughput) * 1000 }),
  };
  return {
    version: 1, id, kind: 'onnx-bench', target, targetKind: 'ssh', backend: 'cpu', command: ['porta', 'bench', 'm.onnx'], entry: 'm.onnx',
    startedAt: '2026-12-01T10:00:00.000Z', endedAt: '2026-12-01T10:00:10.000Z', status: 'succeeded', logFile: '/dev/null',
    metrics: provider.metrics!, providers: [provider], ...(cost ? { cost } : {}),
  };
}

// The reference (slow, cheap), a fast expensive box, a middling one, one that drifts, and one with no price.
const ref = bench('20261201-100000-aaaaaa', 'local', { p50: 10, rate: 0.5 });
const fast = bench('20261201-100100-bbbbbb', 'gpu', { p50: 1, p99: 30, rate: 8 });
const mid = bench('20261201-100200-cccccc', 'mid', { p50: 3, rate: 1 });
const drift = bench('20261201-100300-dddddd', 'npu', { p50: 0.5, rate: 0.1, head: [1, 2, 3.5] });
const unpriced = bench('20261201-100400-eeeeee', 'lab', { p50: 2 });
const all = [ref, fast, mid, drift, unpriced];

describe('choosing the best target (latency, cost, balanced, constraints)', () => {
  const comparison = compareRuns(all);

  it('by default: the fastest whose outputs match the reference, with the reason and its cost', () => {
    const choice = chooseTarget(comparison);
    assert.equal(choice.best, `${fast.id}/cpu`);
    assert.match(choice.reason, /^gpu\/cpu wins on latency: p50 1\.00 ms, 2\.00× faster than lab\/cpu; 0\.0022 USD per 1,000 inferences; outputs match the reference within tolerance \(constraints: outputs matching the reference\)\.$/);
    assert.deepEqual(choice.excluded.map((e) => e.label), ['npu/cpu']);
    assert.match(choice.excluded[0].why, /outputs drift from the reference beyond tolerance \(max abs 5\.0e-1\)/);
  });

  it('on cost: the cheapest priced row; a row without a price is left out as "no price", never free', () => {
    const choice = chooseTarget(comparison, 'cost');
    assert.equal(choice.costBasis, 'per 1k inferences');
    // Per 1,000 inferences: local 0.5 USD/h at 100/s = 0.00139; mid 1 USD/h at 333/s = 0.000833; gpu 8 USD/h at 1000/s = 0.00222.
    assert.equal(choice.bestLabel, 'mid/cpu');
    assert.match(choice.reason, /^mid\/cpu wins on cost: 0\.00083 USD per 1,000 inferences, 1\.67× cheaper than local\/cpu; p50 3\.00 ms;/);
    assert.deepEqual(choice.excluded.find((e) => e.label === 'lab/cpu')?.why, 'no price');
  });

  it('balanced: the lowest latency × cost on the Pareto front', () => {
    const choice = chooseTarget(comparison, 'balanced');
    // Front (eligible only: the drifting npu is out): gpu (1 ms, 0.0022), mid (3 ms, 0.00083); local (10 ms, 0.0014) is beaten by mid.
    assert.deepEqual([...choice.pareto].sort(), [`${fast.id}/cpu`, `${mid.id}/cpu`].sort());
    assert.equal(choice.points.find((p) => p.label === 'local/cpu')?.onFront, false);
    assert.equal(choice.points.find((p) => p.label === 'npu/cpu')?.eligible, false);
    assert.equal(choice.points.some((p) => p.label === 'lab/cpu'), false, 'no price: not on the latency–cost plane');
    assert.equal(choice.bestLabel, 'gpu/cpu'); // 1 × 0.0022 < 3 × 0.00083
    assert.match(choice.reason, /wins on balance: p50 1\.00 ms at 0\.0022 USD per 1,000 inferences, the lowest latency × cost of the 2 targets on the latency–cost Pareto front/);
  });

  it('--max-p99 and --max-drift change who qualifies', () => {
    const p99 = chooseTarget(comparison, 'latency', { maxP99Ms: 20 });
    assert.equal(p99.bestLabel, 'lab/cpu');
    assert.match(p99.excluded.find((e) => e.label === 'gpu/cpu')!.why, /^p99 30\.0 ms above --max-p99 20 ms$/);
    assert.match(p99.reason, /\(constraints: p99 ≤ 20 ms, outputs matching the reference\)/);
    const loose = chooseTarget(comparison, 'latency', { maxDrift: 1 });
    assert.equal(loose.bestLabel, 'npu/cpu', 'a drift of 0.5 is within --max-drift 1');
    assert.match(loose.reason, /outputs drift beyond tolerance but within --max-drift/);
    const strict = chooseTarget(comparison, 'cost', { maxDrift: 0 });
    assert.equal(strict.bestLabel, 'mid/cpu');
  });

  it('never compares prices in different currencies', () => {
    const eur = bench('20261201-100500-ffffff', 'eu', { p50: 0.2, rate: 0.01, currency: 'EUR' });
    const mixed = compareRuns([ref, fast, eur]);
    const choice = chooseTarget(mixed, 'cost');
    assert.equal(choice.best, undefined);
    assert.match(choice.reason, /^Cannot choose on cost: prices are in USD and EUR, which Porta does not convert/);
    assert.equal(chooseTarget(mixed, 'latency').bestLabel, 'eu/cpu', 'latency needs no prices');
    assert.match(formatComparison({ ...mixed, choice }, 'text'), /note: costs are in USD and EUR; Porta does not convert or compare across currencies/);
  });

  it('names nobody when nothing qualifies, and says why', () => {
    const choice = chooseTarget(compareRuns([unpriced]), 'cost');
    assert.equal(choice.best, undefined);
    assert.match(choice.reason, /^No target to recommend: no run meets the constraints .* with a speed figure and a price\.$/);
  });
});

describe('comparison output with cost and the best target', () => {
  const comparison = compareRuns([ref, fast, unpriced]);
  comparison.choice = chooseTarget(comparison, 'balanced');

  it('text and CSV show run cost and cost per 1,000 inferences; no price is "no price"', () => {
    const text = formatComparison(comparison, 'text');
    const header = text.split('\n')[0];
    assert.match(header, /wall s\s+run cost\s+cost\/1k inf/);
    assert.match(text, /gpu\/cpu .*0\.022 USD\s+0\.0022 USD/);
    assert.match(text, /lab\/cpu .*no price\s+no price/);
    assert.match(text, /best target \(objective balanced\): gpu\/cpu\. gpu\/cpu wins on balance/);
    assert.match(text, /latency–cost Pareto front \(per 1k inferences, USD\): local\/cpu, gpu\/cpu/);
    assert.match(text, /left out:\n {2}lab\/cpu: no price/);
    const csv = formatComparison(comparison, 'csv').split('\r\n');
    assert.equal(csv[0], 'run,target/provider,status,p50 ms,p90 ms,p99 ms,inf/s,peak MiB,wall s,run cost,cost/1k inf,p50 vs ref,inf/s vs ref,wall vs ref,outputs vs ref');
    assert.match(csv[3], /,no price,no price,/);
  });

  it('markdown carries the banner and JSON the whole choice', () => {
    const md = formatComparison(comparison, 'markdown');
    assert.match(md, /\| run cost \| cost\/1k inf \|/);
    assert.match(md, /\*\*Best target \(objective balanced\): gpu\/cpu\. gpu\/cpu wins on balance/);
    assert.match(md, /- \*\*lab\/cpu\*\*: no price/);
    const json = JSON.parse(formatComparison(comparison, 'json')) as { choice: { best: string; pareto: string[]; objective: string }; rows: Array<{ costPer1kInferences?: number; cost?: RunCost }> };
    assert.equal(json.choice.objective, 'balanced');
    assert.equal(json.choice.best, `${fast.id}/cpu`);
    assert.equal(json.rows[1].cost?.currency, 'USD');
    assert.ok(Math.abs(json.rows[1].costPer1kInferences! - 8 / 3600) < 1e-12);
    assert.equal(json.rows[2].cost, undefined);
  });
});

describe('porta compare --objective (CLI)', () => {
  let root: string;
  const out = () => {
    const stream = new Writable({ write(chunk: Buffer, _e, cb) { stream.text += chunk.toString(); cb(); } }) as Writable & { text: string };
    stream.text = '';
    return stream;
  };
  const porta = async (...argv: string[]) => {
    const stdout = out();
    const stderr = out();
    const code = await main(argv, { stdout, stderr, cwd: root, env: process.env });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'porta-choose-'));
    mkdirSync(join(root, '.porta', 'runs'), { recursive: true });
    for (const record of all) writeFileSync(join(root, '.porta', 'runs', `${record.id}.json`), JSON.stringify(record));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('names the best target by default and under each objective and constraint', async () => {
    const ids = [ref, fast, mid, unpriced].map((r) => r.id.slice(-6));
    const plain = await porta('compare', ...ids);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /best target \(objective latency\): gpu\/cpu\./);
    const cost = await porta('compare', ...ids, '--objective', 'cost');
    assert.match(cost.stdout, /best target \(objective cost\): mid\/cpu\./);
    const p99 = JSON.parse((await porta('compare', ...ids, '--objective', 'latency', '--max-p99', '20', '--format', 'json')).stdout) as { choice: { bestLabel: string; constraints: { maxP99Ms: number } } };
    assert.equal(p99.choice.bestLabel, 'lab/cpu');
    assert.equal(p99.choice.constraints.maxP99Ms, 20);
  });

  it('porta targets lists each target\'s price, "no price" when unset', async () => {
    writeFileSync(join(root, 'porta.toml'), '[targets.local]\nkind = "local"\nprice_per_hour = 0.4\n[targets.hpc]\nkind = "slurm"\nprice_per_gpu_hour = 3\ncurrency = "EUR"\n[targets.lab]\nkind = "ssh"\nhost = "lab"\n');
    try {
      const text = await porta('targets');
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^local +local .* {2}0\.40 USD\/h$/m);
      assert.match(text.stdout, /^hpc +slurm .* {2}3\.00 EUR\/GPU-h$/m);
      assert.match(text.stdout, /^lab +ssh .* {2}no price/m);
      const json = JSON.parse((await porta('targets', '--json')).stdout) as { targets: Array<{ name: string; price: { perGpuHour?: number } | null }> };
      assert.equal(json.targets.find((t) => t.name === 'hpc')?.price?.perGpuHour, 3);
      assert.equal(json.targets.find((t) => t.name === 'lab')?.price, null);
    } finally {
      rmSync(join(root, 'porta.toml'));
    }
  });

  it('refuses an unknown objective or a bad limit', async () => {
    const bad = await porta('compare', ref.id, '--objective', 'cheapest');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--objective must be latency, cost, balanced, got 'cheapest'/);
    assert.match((await porta('compare', ref.id, '--max-drift=-1')).stderr, /--max-drift must be a non-negative number/);
    assert.match((await porta('compare', ref.id, '--max-p99', 'fast')).stderr, /--max-p99 must be a non-negative number/);
  });
});

describe('comparison output: a provider that did not run', () => {
  it('shows no run cost for it (the benchmark\'s cost is not its doing)', () => {
    const record = bench('20261201-110000-aaaaaa', 'local', { p50: 0.034, rate: 0.4 });
    record.providers!.push({ provider: 'cuda', available: false, reason: 'no driver' });
    const text = formatComparison(compareRuns([record]), 'text');
    assert.match(text, /local\/cpu +succeeded .* 0\.0011 USD +[\d.e-]+ USD/);
    assert.match(text, /local\/cuda +unavailable( +-){11} +n\/a: no driver/);
    const choice = chooseTarget(compareRuns([record]), 'balanced');
    assert.match(choice.reason, /^local\/cpu wins on balance: p50 0\.034 ms at /);
  });
});

describe('choosing among script runs (wall time, cost per run)', () => {
  function script(id: string, target: string, wallMs: number, loss: number, rate?: number): RunRecord {
    return {
      version: 1, id, kind: 'script', target, targetKind: 'local', backend: 'cpu', command: ['python3', 'train.py'], entry: 'train.py',
      startedAt: '2026-12-01T10:00:00.000Z', endedAt: '2026-12-01T10:01:00.000Z', status: 'succeeded', exitCode: 0, logFile: '/dev/null',
      metrics: { wallMs, custom: { loss } },
      ...(rate === undefined ? {} : { cost: { amount: (wallMs / 3_600_000) * rate, currency: 'USD', basis: `wall ${wallMs / 1000} s × ${rate} USD/h`, ratePerHour: rate } }),
    };
  }
  const cpu = script('20261201-120000-aaaaaa', 'local', 8000, 0.25, 0.4);
  const gpu = script('20261201-120100-bbbbbb', 'gpu', 2000, 0.25, 4);
  const npu = script('20261201-120200-cccccc', 'npu', 1000, 0.31, 0.1);

  it('judges speed by wall time and cost per run; a drifting loss is left out', () => {
    const comparison = compareRuns([cpu, gpu, npu]);
    const fastest = chooseTarget(comparison);
    assert.equal(fastest.speedMetric, 'wall');
    assert.equal(fastest.bestLabel, 'gpu/cpu');
    assert.match(fastest.reason, /wall time 2\.00 s, 4\.00× faster than local\/cpu; 0\.0022 USD for the run; outputs match the reference/);
    assert.match(fastest.excluded[0].why, /outputs drift from the reference beyond tolerance \(max abs 6\.0e-2\)/);
    const cheapest = chooseTarget(comparison, 'cost');
    assert.equal(cheapest.costBasis, 'per run');
    assert.equal(cheapest.bestLabel, 'local/cpu', '0.00089 USD against 0.0022 USD');
    assert.equal(chooseTarget(comparison, 'cost', { maxDrift: 0.1 }).bestLabel, 'npu/cpu', 'a loss 0.06 off is within --max-drift 0.1');
  });
});

import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/main';
import { RunHistory } from '../../../src/run/history';
import type { RunRecord } from '../../../src/run/record';
import type { Comparison } from '../../../src/run/compare';
import { addModel } from '../../fixtures/onnx/build';

async function porta(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(argv, { stdout, stderr, cwd, env: process.env });
  return { code, stdout: out, stderr: err };
}

describe('porta bench and porta compare (CLI)', function () {
  this.timeout(60_000);
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'porta-onnx-cli-'));
    writeFileSync(join(root, 'add.onnx'), addModel());
    writeFileSync(join(root, 'corrupt.onnx'), addModel().slice(0, 30));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('benchmarks, prints a table with unavailable providers, and records the run', async () => {
    const { code, stdout } = await porta(root, 'bench', 'add.onnx', '--ep', 'cpu,webgpu', '--iterations', '10', '--warmup', '1', '--input', 'x=3x4');
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^cpu\s+[\d.]+\s+[\d.]+/m);
    assert.match(stdout, /webgpu: Failed to get a WebGPU adapter/);
    const runs = await new RunHistory(root).list();
    assert.equal(runs[0].kind, 'onnx-bench');
    assert.equal(runs[0].metrics.outputs?.[0].shape.join('x'), '3x4');
  });

  it('on a priced local target: records the cost and the cost per 1,000 inferences; porta runs shows it', async () => {
    const priced = mkdtempSync(join(tmpdir(), 'porta-onnx-priced-'));
    try {
      writeFileSync(join(priced, 'add.onnx'), addModel());
      const unpriced = await porta(priced, 'bench', 'add.onnx', '--iterations', '5', '--warmup', '1');
      assert.match(unpriced.stdout, /^cost: no price \(set price_per_hour for \[targets\.local\] in porta\.toml\)$/m);
      writeFileSync(join(priced, 'porta.toml'), '[targets.local]\nkind = "local"\nprice_per_hour = 0.9\ncurrency = "EUR"\n');
      const { code, stdout } = await porta(priced, 'bench', 'add.onnx', '--iterations', '5', '--warmup', '1');
      assert.equal(code, 0, stdout);
      assert.match(stdout, /^cost: [\d.e-]+ EUR \(wall [\d.]+ s × 0\.90 EUR\/h\); per 1,000 inferences: cpu [\d.e-]+ EUR$/m);
      const [record] = await new RunHistory(priced).list();
      const cpu = record.providers![0];
      assert.equal(record.cost?.currency, 'EUR');
      assert.ok(Math.abs(cpu.costPer1kInferences! - (0.9 / 3600 / cpu.metrics!.throughput!) * 1000) < 1e-15);
      const runs = await porta(priced, 'runs');
      assert.match(runs.stdout.split('\n')[0], / add\.onnx exit 0 {2}[\d.e-]+ EUR$/);
      assert.match(runs.stdout.split('\n')[1], / add\.onnx exit 0 {2}no price$/, 'the run from before the price stays unpriced');
    } finally {
      rmSync(priced, { recursive: true, force: true });
    }
  });

  it('prints the record as JSON with --json', async () => {
    const { code, stdout } = await porta(root, 'bench', 'add.onnx', '--iterations', '5', '--json');
    assert.equal(code, 0);
    const record = JSON.parse(stdout) as RunRecord;
    assert.equal(record.status, 'succeeded');
    assert.equal(record.providers?.[0].metrics?.latencyMs?.samples, 5);
  });

  it('exits 2 with a clear message and a recorded failure for a corrupt model', async () => {
    const { code, stdout } = await porta(root, 'bench', 'corrupt.onnx');
    assert.equal(code, 2);
    assert.match(stdout, /not a valid ONNX model \(corrupt or truncated/);
    const runs = await new RunHistory(root).list();
    assert.equal(runs[0].status, 'failed');
  });

  it('exits 2 on bad options', async () => {
    assert.equal((await porta(root, 'bench')).code, 2);
    assert.equal((await porta(root, 'bench', 'add.onnx', '--iterations', '0')).code, 2);
    assert.equal((await porta(root, 'bench', 'add.onnx', '--iterations', '5', '--duration', '1')).code, 2);
    const bad = await porta(root, 'bench', 'add.onnx', '--input', 'x=abc');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /neither a shape/);
  });

  it('compares recorded runs as text, JSON and markdown, with abbreviated ids', async () => {
    const bench = async () => JSON.parse((await porta(root, 'bench', 'add.onnx', '--iterations', '5', '--json')).stdout) as RunRecord;
    const older = await bench();
    const newer = await bench();
    const text = await porta(root, 'compare', older.id, newer.id.slice(-6));
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /reference: .*\/cpu/);
    const json = await porta(root, 'compare', older.id, newer.id, '--format', 'json', '--reference', `${newer.id}/cpu`);
    const comparison = JSON.parse(json.stdout) as Comparison;
    assert.equal(comparison.reference, `${newer.id}/cpu`);
    const olderCpu = comparison.rows.find((r) => r.key === `${older.id}/cpu`);
    assert.ok(olderCpu?.vsReference?.latencyRatio && olderCpu.vsReference.latencyRatio > 0);
    const markdown = await porta(root, 'compare', older.id, newer.id, '--format', 'markdown');
    assert.match(markdown.stdout, /^\| run \| target\/provider \|/m);
    assert.match(markdown.stdout, /\| ---: \|/);
    // The first run fed a 3x4 input: its output shape differs, which is drift (exit 1).
    const batched = (await new RunHistory(root).list()).find((r) => r.metrics.outputs?.[0]?.shape.join('x') === '3x4');
    const drift = await porta(root, 'compare', newer.id, batched!.id);
    assert.equal(drift.code, 1);
    assert.match(drift.stdout, /DRIFT/);
  });

  it('exports a PyTorch module, benchmarks it and compares with PyTorch (FILE.py --class)', async () => {
    writeFileSync(join(root, 'net.py'), 'import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n');
    const ok = await porta(root, 'bench', 'net.py', '--class', 'Net', '--python', '/usr/bin/python3', '--iterations', '3', '--json');
    assert.equal(ok.code, 0, ok.stderr);
    const record = JSON.parse(ok.stdout) as RunRecord;
    assert.equal(record.entry, join('.porta', 'exports', 'Net.onnx'));
    assert.equal(record.providers?.[0].parity?.[0].withinTolerance, true);
    const missing = await porta(root, 'bench', 'net.py', '--class', 'Missing', '--python', '/usr/bin/python3');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /export of Missing failed: .*has no class Missing/);
    assert.equal((await new RunHistory(root).list())[0].status, 'failed');
    assert.equal((await porta(root, 'bench', 'net.py')).code, 2, '--class is required for Python files');
  });

  it('exits 2 for an unknown run id or format', async () => {
    const unknown = await porta(root, 'compare', 'ffffff-nope');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no run 'ffffff-nope'/);
    const runs = await new RunHistory(root).list();
    assert.equal((await porta(root, 'compare', runs[0].id, '--format', 'html')).code, 2);
  });
});

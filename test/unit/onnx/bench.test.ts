import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOnnxBenchmark } from '../../../src/run/onnx/bench';
import { benchmarkToHistory } from '../../../src/run/onnx/recorded';
import { RunHistory } from '../../../src/run/history';
import { writeNpy } from '../../../src/run/onnx/npy';
import { addModel, emptyGraphModel, matmulModel, twoInputModel, unsupportedOpModel } from '../../fixtures/onnx/build';

describe('onnx benchmark with the real ONNX Runtime (one worker process per provider)', function () {
  this.timeout(60_000);
  let dir: string;
  const model = (name: string, bytes: Uint8Array) => {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    return file;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'porta-onnx-bench-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('benchmarks the CPU provider and computes the known outputs', async () => {
    const input = join(dir, 'x.json');
    writeFileSync(input, JSON.stringify([[0.5, -1, 2, 10]]));
    const result = await runOnnxBenchmark({ model: model('add.onnx', addModel()), iterations: 20, warmup: 2, inputs: [{ name: 'x', file: input }] });
    assert.equal(result.status, 'succeeded', result.error);
    const [cpu] = result.providers;
    assert.equal(cpu.provider, 'cpu');
    assert.equal(cpu.available, true);
    assert.ok((cpu.sessionCreateMs ?? 0) > 0);
    const latency = cpu.metrics?.latencyMs;
    assert.ok(latency && latency.samples === 20 && latency.min <= latency.p50 && latency.p50 <= latency.p99 && latency.p999 <= latency.max);
    assert.ok((cpu.metrics?.throughput ?? 0) > 0);
    assert.ok((cpu.metrics?.peakMemoryBytes ?? 0) > 10 * 1024 * 1024, 'peak RSS of the worker process');
    // y = x + [1, 2, 3, 4]
    assert.deepEqual(cpu.metrics?.outputs?.[0].head, [1.5, 1, 5, 14]);
    assert.deepEqual(result.inputs, [{ name: 'x', type: 'float32', dims: [1, 4] }]);
  });

  it('reports unavailable providers with the runtime\'s reason instead of failing', async () => {
    const result = await runOnnxBenchmark({ model: model('add.onnx', addModel()), providers: ['cpu', 'webgpu', 'cuda', 'dml'], iterations: 5, warmup: 0 });
    assert.equal(result.status, 'succeeded');
    const byName = Object.fromEntries(result.providers.map((p) => [p.provider, p]));
    assert.equal(byName.cpu.available, true);
    assert.equal(byName.webgpu.available, false);
    assert.match(byName.webgpu.reason ?? '', /WebGPU adapter/);
    assert.doesNotMatch(byName.webgpu.reason ?? '', /onnxruntime_src/);
    assert.match(byName.cuda.reason ?? '', /Failed to load shared library/);
    assert.match(byName.dml.reason ?? '', /no 'dml' execution provider/);
  });

  it('runs the CPU reference even when only another provider is requested', async () => {
    const result = await runOnnxBenchmark({ model: model('add.onnx', addModel()), providers: ['webgpu'], iterations: 3 });
    assert.equal(result.status, 'succeeded');
    assert.deepEqual(result.providers.map((p) => [p.provider, p.available]), [['webgpu', false]]);
    assert.deepEqual(result.metrics.outputs?.map((o) => o.name), ['y'], 'reference outputs are kept even without an available provider');
  });

  it('synthesises typed inputs for dynamic dims, from --input shapes and .npy files', async () => {
    const file = model('two.onnx', twoInputModel());
    const scale = join(dir, 'scale.npy');
    writeFileSync(scale, writeNpy('float32', [1], [2]));
    const result = await runOnnxBenchmark({ model: file, iterations: 3, warmup: 0, inputs: [{ name: 'ids', shape: [2, 7] }, { name: 'scale', file: scale }] });
    assert.equal(result.status, 'succeeded', result.error);
    assert.deepEqual(result.inputs, [{ name: 'ids', type: 'int64', dims: [2, 7] }, { name: 'scale', type: 'float32', dims: [1] }]);
    const head = result.metrics.outputs?.[0].head ?? [];
    assert.ok(head.length > 0 && head.every((v) => Number.isInteger(v / 2) && v >= 0 && v < 20), `ids in [0,10) times 2: ${head}`);
    const defaults = await runOnnxBenchmark({ model: file, iterations: 1, warmup: 0 });
    assert.deepEqual(defaults.inputs[0].dims, [1, 128], 'batch -> 1, sequence -> 128');
  });

  it('supports a time budget instead of an iteration count', async () => {
    const result = await runOnnxBenchmark({ model: model('add.onnx', addModel()), durationS: 0.2, warmup: 0 });
    assert.equal(result.status, 'succeeded');
    assert.ok((result.metrics.latencyMs?.samples ?? 0) > 1);
    assert.ok((result.metrics.wallMs ?? 0) >= 200);
  });

  const failures: [string, () => Uint8Array, RegExp][] = [
    ['an empty file', () => new Uint8Array(0), /empty \(0 bytes\)/],
    ['a corrupt file', () => new TextEncoder().encode('this is not protobuf at all, just text'), /not a valid ONNX model/],
    ['a truncated file', () => addModel().slice(0, 40), /not a valid ONNX model \(corrupt or truncated/],
    ['an unsupported operator', unsupportedOpModel, /operator this onnxruntime does not support: .*Frobnicate/],
    ['an empty graph', emptyGraphModel, /empty graph/],
  ];
  for (const [what, bytes, message] of failures) {
    it(`records a failed benchmark for ${what}, without crashing`, async () => {
      const root = mkdtempSync(join(dir, 'ws-'));
      const file = join(root, 'model.onnx');
      writeFileSync(file, bytes());
      const { record, result } = await benchmarkToHistory({ workspaceRoot: root, model: file, providers: ['cpu', 'webgpu'], iterations: 2 });
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', message);
      const stored = await new RunHistory(root).get(record.id);
      assert.equal(stored?.status, 'failed');
      assert.equal(stored?.kind, 'onnx-bench');
      assert.equal(stored?.exitCode, 2);
      assert.equal(stored?.entry, 'model.onnx');
      assert.match(stored?.error ?? '', message);
      assert.match(readFileSync(stored!.logFile, 'utf8'), /\[porta\] failed:/);
    });
  }

  it('fails clearly on shapes the model rejects: before the run, or at run time', async () => {
    const mm = model('mm.onnx', matmulModel());
    const rank = await runOnnxBenchmark({ model: mm, inputs: [{ name: 'x', shape: [1, 4, 1] }] });
    assert.match(rank.error ?? '', /bad input: input 'x' has rank 2/);
    const runtime = await runOnnxBenchmark({ model: mm, inputs: [{ name: 'x', shape: [2, 5] }] });
    assert.equal(runtime.status, 'failed');
    assert.match(runtime.error ?? '', /inference failed .*MatMul dimension mismatch/);
    const ok = await runOnnxBenchmark({ model: mm, iterations: 2, inputs: [{ name: 'x', shape: [2, 4] }] });
    assert.equal(ok.status, 'succeeded', ok.error);
    assert.deepEqual(ok.metrics.outputs?.[0].shape, [2, 3]);
  });

  it('keeps a successful run in the history with per-provider results', async () => {
    const root = mkdtempSync(join(dir, 'ws-'));
    const file = join(root, 'add.onnx');
    writeFileSync(file, addModel());
    const { record } = await benchmarkToHistory({ workspaceRoot: root, model: file, providers: ['cpu', 'webgpu'], iterations: 5 });
    const stored = await new RunHistory(root).get(record.id);
    assert.equal(stored?.status, 'succeeded');
    assert.equal(stored?.backend, 'cpu,webgpu');
    assert.equal(stored?.resolvedBackend, 'cpu');
    assert.equal(stored?.providers?.length, 2);
    assert.equal(stored?.metrics.latencyMs?.samples, 5);
    assert.ok(stored?.endedAt);
  });

  it('stops a worker that outlives its time limit and reports it', async () => {
    const result = await runOnnxBenchmark({ model: model('add.onnx', addModel()), durationS: 30, timeoutMs: 1500 });
    assert.equal(result.status, 'failed');
    assert.match(result.error ?? '', /timed out/);
  });
});

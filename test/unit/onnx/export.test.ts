import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPyTorchModule, ExportError } from '../../../src/run/onnx/export';
import { runOnnxBenchmark } from '../../../src/run/onnx/bench';

// Debian's interpreter: the only one with torch on these machines (see docs/dev/bench.md).
const PYTHON = process.env.PORTA_TEST_PYTHON ?? '/usr/bin/python3';

const MODULES = `
import torch
import torch.nn as nn

class TinyCNN(nn.Module):
    def __init__(self, classes=5):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.head = nn.Linear(8, classes)

    def forward(self, x):
        return self.head(torch.flatten(self.features(x), 1))

class NoShape(nn.Module):
    def forward(self, x):
        return x * 2

class Broken(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x).cuda()
`;

describe('PyTorch export (porta_export.py with real torch) and parity of ONNX Runtime vs PyTorch', function () {
  this.timeout(120_000);
  let dir: string;
  let source: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'porta-onnx-export-'));
    source = join(dir, 'models.py');
    writeFileSync(source, MODULES);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exports with opset 13, passes onnx.checker, and ONNX Runtime matches PyTorch', async () => {
    const exported = await exportPyTorchModule({ python: PYTHON, source, className: 'TinyCNN', out: join(dir, 'out', 'tiny.onnx'), initArgs: { classes: 3 } });
    assert.equal(exported.opset, 13);
    assert.equal(exported.checker, 'ok');
    assert.ok(existsSync(exported.onnx));
    assert.deepEqual(exported.inputs[0].shape, [1, 3, 64, 64], 'guessed from the first Conv2d');
    assert.deepEqual(exported.outputs[0].shape, [1, 3]);
    const result = await runOnnxBenchmark({
      model: exported.onnx, iterations: 5, warmup: 1,
      inputs: exported.inputs.map((i) => ({ name: i.name, file: i.file })),
      expectedOutputs: exported.outputs.map((o) => ({ name: o.name, file: o.file })),
    });
    assert.equal(result.status, 'succeeded', result.error);
    const [parity] = result.expectedParity ?? [];
    assert.equal(parity.name, 'output0');
    assert.ok(parity.maxAbsError < 1e-4, `max abs error vs PyTorch ${parity.maxAbsError}`);
    assert.ok(parity.cosine > 0.9999);
    assert.equal(parity.withinTolerance, true);
    assert.equal(result.drift, false);
    // A dynamic batch: the exported model accepts another batch size.
    const batch = await runOnnxBenchmark({ model: exported.onnx, iterations: 2, inputs: [{ name: 'input0', shape: [4, 3, 64, 64] }] });
    assert.deepEqual(batch.metrics.outputs?.[0].shape, [4, 3]);
  });

  it('uses the given input shape', async () => {
    const exported = await exportPyTorchModule({ python: PYTHON, source, className: 'NoShape', out: join(dir, 'noshape.onnx'), inputShapes: [[2, 6]] });
    assert.deepEqual(exported.inputs[0].shape, [2, 6]);
  });

  it('explains failures in the harness\'s words', async () => {
    await assert.rejects(exportPyTorchModule({ python: PYTHON, source, className: 'NoShape', out: join(dir, 'x.onnx') }), /cannot guess the input shape of NoShape/);
    await assert.rejects(exportPyTorchModule({ python: PYTHON, source, className: 'Missing', out: join(dir, 'x.onnx') }), /has no class Missing/);
    await assert.rejects(exportPyTorchModule({ python: PYTHON, source, className: 'Broken', out: join(dir, 'x.onnx') }), /Torch not compiled with CUDA enabled/);
    await assert.rejects(exportPyTorchModule({ python: '/nonexistent/python', source, className: 'TinyCNN', out: join(dir, 'x.onnx') }), (e: Error) => e instanceof ExportError && /was not found/.test(e.message));
  });
});

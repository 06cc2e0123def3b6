import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as ort from 'onnxruntime-node';
import { JIT_WARMUP_RUNS, warmOrtJit, WARMUP_MODEL_BASE64 } from '../../../src/run/onnx/jitWarmup';
import { timeRuns } from '../../../src/run/onnx/timing';
import { WORKER_V8_FLAGS } from '../../../src/run/onnx/spawn';

describe('onnx worker warm-up (real ONNX Runtime)', function () {
  this.timeout(60_000);

  it('the embedded warm-up model is Relu over float32 [1, 16]', async () => {
    const session = await ort.InferenceSession.create(Buffer.from(WARMUP_MODEL_BASE64, 'base64'));
    try {
      const meta = session.inputMetadata[0];
      assert.equal(meta.name, 'x');
      assert.ok(meta.isTensor && meta.type === 'float32');
      assert.deepEqual(meta.isTensor ? meta.shape : [], [1, 16]);
      const x = Float32Array.from({ length: 16 }, (_, i) => i - 8);
      const { y } = await session.run({ x: new ort.Tensor('float32', x, [1, 16]) });
      assert.deepEqual(Array.from(y.data as Float32Array), Array.from(x, (v) => Math.max(0, v)));
    } finally {
      await session.release();
    }
  });

  it('warmOrtJit runs the model the requested number of times, and stops at its time budget', async () => {
    assert.equal(await warmOrtJit(ort, 50, 60_000), 50);
    assert.ok(JIT_WARMUP_RUNS >= 1000);
    // A budget already spent still lets the first run through (the loop checks the clock after each run).
    assert.equal(await warmOrtJit(ort, 50, -1), 1);
  });

  it('timeRuns keeps one sample per run and returns the last outputs', async () => {
    const session = await ort.InferenceSession.create(Buffer.from(WARMUP_MODEL_BASE64, 'base64'));
    try {
      const samples: number[] = [];
      const last = await timeRuns(session, { x: new ort.Tensor('float32', new Float32Array(16).fill(-2), [1, 16]) }, 7, Infinity, samples);
      assert.equal(samples.length, 7);
      assert.ok(samples.every((s) => s >= 0));
      assert.deepEqual(Array.from(last?.y.data as Float32Array), new Array(16).fill(0));
      assert.equal(await timeRuns(session, {}, 0, Infinity, []), undefined, 'no runs, no outputs');
    } finally {
      await session.release();
    }
  });

  it('the worker is forked with V8 flags that this node accepts', () => {
    const started = spawnSync(process.execPath, [...WORKER_V8_FLAGS, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    assert.equal(started.status, 0, started.stderr);
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixText } from '../../../src/core/fix';
import { REPO, runPython, type ProcessResult } from './helpers';

const HARNESS = path.join(REPO, 'src/run/harness');

/** Runs `lines` through `python -m porta_shim --device DEVICE` (the CPU unless told) on Debian's PyTorch. */
async function underShim(lines: string[], device = 'cpu'): Promise<ProcessResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-shim-cap-'));
  try {
    const script = path.join(dir, 's.py');
    fs.writeFileSync(script, [...lines, ''].join('\n'));
    return await runPython(['-m', 'porta_shim', '--device', device, script], { env: { PYTHONPATH: HARNESS } });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What each capability query answered under the shim, with the Python type name beside each value. */
const PROBE = [
  'import json, torch',
  'def typed(value):',
  '    return {"type": type(value).__name__, "value": value}',
  'p = torch.cuda.get_device_properties(0)',
  'answers = {',
  '    "is_bf16_supported": typed(torch.cuda.is_bf16_supported()),',
  '    "get_device_capability": typed(torch.cuda.get_device_capability()),',
  '    "properties": {k: typed(getattr(p, k)) for k in ("name", "total_memory", "multi_processor_count", "major", "minor")},',
  '    "mem_get_info": typed(torch.cuda.mem_get_info()),',
  '    "get_device_name": typed(torch.cuda.get_device_name(0)),',
  '    "device_count": typed(torch.cuda.device_count()),',
  '    "current_device": typed(torch.cuda.current_device()),',
  '    "is_initialized": typed(torch.cuda.is_initialized()),',
  '    "utilization": typed(torch.cuda.utilization()),',
  '    "cudnn_is_available": typed(torch.backends.cudnn.is_available()),',
  '}',
  'torch.backends.cuda.matmul.allow_tf32 = True',
  'torch.backends.cudnn.allow_tf32 = True',
  'torch.backends.cudnn.benchmark = True',
  'answers["flags"] = typed([torch.backends.cudnn.benchmark, torch.backends.cudnn.enabled, torch.backends.cuda.is_built()])',
  'print(json.dumps(answers))',
];

interface Typed { type: string; value: unknown }

describe('porta_shim capability queries answer for the chosen device (CPU, Debian PyTorch)', function () {
  this.timeout(120_000);
  let answers: Record<string, Typed> & { properties: Record<string, Typed> };
  let run: ProcessResult;

  before(async () => {
    run = await underShim(PROBE);
    assert.equal(run.code, 0, run.stderr);
    answers = JSON.parse(run.stdout) as typeof answers;
  });

  it('is_bf16_supported: a bool, true where bfloat16 math runs on the CPU', () => {
    assert.deepEqual(answers.is_bf16_supported, { type: 'bool', value: true });
  });

  it('get_device_capability: a tuple, (0, 0) (no CUDA architecture, so every ">= (8, 0)" is false)', () => {
    assert.deepEqual(answers.get_device_capability, { type: 'tuple', value: [0, 0] });
  });

  it('get_device_properties: the CPU model, physical RAM, logical CPUs, capability 0.0', () => {
    const p = answers.properties;
    assert.deepEqual(p.name, { type: 'str', value: os.cpus()[0]!.model.trim() });
    assert.equal(p.total_memory!.type, 'int');
    assert.ok(Math.abs((p.total_memory!.value as number) - os.totalmem()) < os.totalmem() / 100, `total_memory ${String(p.total_memory!.value)} is not the RAM ${os.totalmem()}`);
    assert.deepEqual(p.multi_processor_count, { type: 'int', value: os.cpus().length });
    assert.deepEqual([p.major, p.minor], [{ type: 'int', value: 0 }, { type: 'int', value: 0 }]);
  });

  it('mem_get_info: a (free, total) tuple of ints, available and physical RAM', () => {
    assert.equal(answers.mem_get_info.type, 'tuple');
    const [free, total] = answers.mem_get_info.value as number[];
    assert.ok(Number.isInteger(free) && Number.isInteger(total));
    assert.ok(free! > 0 && free! <= total!, `free ${free} total ${total}`);
    assert.ok(Math.abs(total! - os.totalmem()) < os.totalmem() / 100);
  });

  it('get_device_name: the CPU model name, a str', () => {
    assert.deepEqual(answers.get_device_name, { type: 'str', value: os.cpus()[0]!.model.trim() });
  });

  it('device_count and current_device: ints, 0 CUDA devices (is_available() is false on the CPU), index 0', () => {
    assert.deepEqual(answers.device_count, { type: 'int', value: 0 });
    assert.deepEqual(answers.current_device, { type: 'int', value: 0 });
  });

  it('is_initialized: a bool, true (the CPU needs no lazy initialization)', () => {
    assert.deepEqual(answers.is_initialized, { type: 'bool', value: true });
  });

  it('utilization: an int percent from the load average', () => {
    assert.equal(answers.utilization.type, 'int');
    const value = answers.utilization.value as number;
    assert.ok(value >= 0 && value <= 100, String(value));
  });

  it('torch.backends.cuda / cudnn: flags can be set and read, cuDNN reports itself absent', () => {
    assert.deepEqual(answers.cudnn_is_available, { type: 'bool', value: false });
    assert.deepEqual(answers.flags, { type: 'list', value: [true, true, false] });
  });

  it('names every query it answered in the end-of-run summary', () => {
    for (const name of ['is_bf16_supported', 'get_device_capability', 'get_device_properties', 'mem_get_info', 'get_device_name', 'is_initialized', 'utilization']) {
      assert.match(run.stderr, new RegExp(`torch\\.cuda\\.${name} ×1`));
    }
    assert.equal(run.stderr.match(/porta_shim: on cpu, translated/g)?.length, 1, run.stderr);
  });
});

describe('porta_shim mixed precision falls back instead of crashing (CPU, Debian PyTorch)', function () {
  this.timeout(120_000);

  it('autocast("cuda", dtype=float16) runs as bfloat16 on the CPU, said once however often it is entered', async () => {
    const run = await underShim([
      'import torch',
      'm = torch.nn.Linear(4, 4).cuda()',
      'for _ in range(3):',
      '    with torch.autocast(device_type="cuda", dtype=torch.float16):',
      '        y = m(torch.ones(2, 4, device="cuda"))',
      'with torch.amp.autocast("cuda", torch.float16):',
      '    z = m(torch.ones(2, 4, device="cuda"))',
      'print(y.dtype, z.dtype)',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'torch.bfloat16 torch.bfloat16\n');
    assert.equal(run.stderr.match(/porta_shim: autocast float16 → bfloat16 on cpu\n/g)?.length, 1, run.stderr);
    assert.match(run.stderr, /fell back: autocast float16 → bfloat16 on cpu/);
  });

  it('torch.cuda.amp.autocast() (float16 by default) and its decorator form run as bfloat16', async () => {
    const run = await underShim([
      'import torch',
      'm = torch.nn.Linear(4, 4).cuda()',
      '@torch.cuda.amp.autocast()',
      'def forward(x):',
      '    return m(x)',
      'with torch.cuda.amp.autocast():',
      '    y = m(torch.ones(2, 4).cuda())',
      'print(y.dtype, forward(torch.ones(1, 4).cuda()).dtype)',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'torch.bfloat16 torch.bfloat16\n');
    assert.match(run.stderr, /autocast float16 → bfloat16 on cpu/);
  });

  it('a dtype with no stand-in disables autocast with a single warning naming the change', async () => {
    const run = await underShim([
      'import torch',
      'm = torch.nn.Linear(4, 4).cuda()',
      'for _ in range(2):',
      '    with torch.autocast("cuda", dtype=torch.float64):',
      '        y = m(torch.ones(2, 4).cuda())',
      'print(y.dtype)',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'torch.float32\n');
    assert.equal(run.stderr.match(/porta_shim: autocast float64 disabled on cpu/g)?.length, 1, run.stderr);
  });

  it('a device whose torch has no autocast at all (MPS on 1.13) gets it disabled, said once, never a crash', async () => {
    const run = await underShim([
      'import torch',
      'for _ in range(2):',
      '    with torch.autocast("cuda", dtype=torch.float16):',
      '        a = torch.is_autocast_enabled()',
      '    with torch.cuda.amp.autocast():',
      '        b = torch.is_autocast_enabled()',
      'print(a, b)',
    ], 'mps');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'False False\n');
    assert.equal(run.stderr.match(/porta_shim: autocast disabled on mps \(torch \S+ has no autocast there\)\n/g)?.length, 1, run.stderr);
  });

  it('torch.cuda.amp.GradScaler is a pass-through where no scaling is needed (scale 1, step steps)', async () => {
    const run = await underShim([
      'import torch',
      'torch.manual_seed(0)',
      'm = torch.nn.Linear(2, 1).cuda()',
      'opt = torch.optim.SGD(m.parameters(), lr=1.0)',
      'scaler = torch.cuda.amp.GradScaler(65536.0)',
      'loss = m(torch.ones(1, 2).cuda()).sum()',
      'scaled = scaler.scale(loss)',
      'scaled.backward()',
      'before = m.bias.item()',
      'scaler.step(opt); scaler.update()',
      'print(scaled.item() == loss.item(), scaler.get_scale(), scaler.is_enabled(), round(before - m.bias.item(), 4))',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'True 1.0 False 1.0\n');
    assert.match(run.stderr, /porta_shim: GradScaler disabled on cpu/);
  });
});

describe('porta_shim GradScaler stays a class (CPU, Debian PyTorch)', function () {
  this.timeout(120_000);

  it('isinstance works, and a subclass of torch.cuda.amp.GradScaler is a disabled scaler that still steps', async () => {
    const run = await underShim([
      'import torch',
      'from torch.cuda.amp import GradScaler',
      'class MyScaler(torch.cuda.amp.GradScaler):',
      '    def __init__(self):',
      '        super().__init__(init_scale=1024.0)',
      '        self.steps = 0',
      '    def step(self, optimizer, *args, **kwargs):',
      '        self.steps += 1',
      '        return super().step(optimizer, *args, **kwargs)',
      'plain = GradScaler()',
      'mine = MyScaler()',
      'm = torch.nn.Linear(2, 1).cuda()',
      'opt = torch.optim.SGD(m.parameters(), lr=1.0)',
      'mine.scale(m(torch.ones(1, 2).cuda()).sum()).backward()',
      'before = m.bias.item()',
      'mine.step(opt); mine.update()',
      'print(isinstance(plain, GradScaler), isinstance(mine, torch.cuda.amp.GradScaler), isinstance(plain, MyScaler))',
      'print(isinstance(GradScaler, type), mine.steps, mine.is_enabled(), round(before - m.bias.item(), 4))',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'True True False\nTrue 1 False 1.0\n');
    assert.match(run.stderr, /torch\.cuda\.amp\.GradScaler ×2/);
  });
});

/** The hardware queries `porta fix` ports (through _porta_device_info), asked as scripts ask them. */
const HARDWARE_PROBE = [
  'import json',
  'import torch',
  'p = torch.cuda.get_device_properties(0)',
  'free, total = torch.cuda.mem_get_info()',
  'major, minor = torch.cuda.get_device_capability()',
  'use_bf16 = torch.cuda.is_bf16_supported()',
  'print(json.dumps({',
  '    "properties": [p.name, p.total_memory, p.multi_processor_count, p.major, p.minor],',
  '    "total_memory": torch.cuda.get_device_properties(0).total_memory,',
  '    "names": [torch.cuda.get_device_name(), torch.cuda.get_device_name(0)],',
  '    "mem_get_info": [type(free).__name__, type(total).__name__, total, free > 0],',
  '    "capability": [major, minor, torch.cuda.get_device_capability(0)[0] >= 8],',
  '    "bf16": use_bf16,',
  '}))',
];

describe('porta fix ports the hardware queries: the fixed program answers as the shim does (CPU, Debian PyTorch)', function () {
  this.timeout(120_000);

  it('get_device_properties / get_device_name / mem_get_info / get_device_capability / is_bf16_supported: same values as under the shim', async () => {
    const fixed = await fixText('probe.py', [...HARDWARE_PROBE, ''].join('\n'), { target: 'auto' });
    assert.equal(fixed.error, undefined);
    assert.doesNotMatch(fixed.text, /torch\.cuda\.(get_device_properties|get_device_name|mem_get_info|get_device_capability)\(/);
    assert.match(fixed.text, /^use_bf16 = \(torch\.cuda\.is_bf16_supported\(\) if DEVICE\.type == "cuda" else DEVICE\.type != "mps"\)$/m);
    assert.equal(fixed.text.match(/^def _porta_device_info\(/gm)?.length, 1, 'one documented helper, not inline expressions');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-fixed-cap-'));
    try {
      fs.writeFileSync(path.join(dir, 'probe.py'), fixed.text);
      const run = await runPython([path.join(dir, 'probe.py')]);
      assert.equal(run.code, 0, `${run.stderr}\n${fixed.text}`);
      const shim = await underShim(HARDWARE_PROBE);
      assert.equal(shim.code, 0, shim.stderr);
      assert.deepEqual(JSON.parse(run.stdout), JSON.parse(shim.stdout));
      const answers = JSON.parse(run.stdout) as { properties: [string, number, number, number, number]; names: string[]; bf16: boolean };
      assert.equal(answers.bf16, true, 'bfloat16 runs on the CPU');
      assert.deepEqual(answers.names, [os.cpus()[0]!.model.trim(), os.cpus()[0]!.model.trim()]);
      assert.ok(Math.abs(answers.properties[1] - os.totalmem()) < os.totalmem() / 100, 'total_memory is the RAM');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAnalyzer, type Analyzer } from '../../../src/core/analyze';
import { fixText } from '../../../src/core/fix';
import type { FixOptions, FixTarget } from '../../../src/core/fix/types';
import * as os from 'node:os';
import { porta } from '../fix/helpers';

/**
 * fix -> scan: Porta must not flag its own portable code. Whatever the analyzer still reports in a fixed file must be
 * something no automatic rewrite exists for (at the same target and unsafe setting).
 */
const REPO = path.resolve(__dirname, '../../..');
const RUNNABLE = path.join(REPO, 'test/fixtures/runnable');
const FIX_FIXTURES = path.join(REPO, 'test/fixtures/fix');

interface Case {
  name: string;
  file: string;
  text: string;
  options: FixOptions & { unsafe: boolean };
  /** The text is already the fixer's output (the .out.py fixtures). */
  fixed: boolean;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const dir of fs.readdirSync(RUNNABLE).sort()) {
    const folder = path.join(RUNNABLE, dir);
    if (!fs.statSync(folder).isDirectory()) continue;
    const program = fs.readdirSync(folder).find((n) => n.startsWith('program.'));
    if (!program) continue;
    const config = path.join(folder, 'porta-fix.json');
    const args: string[] = fs.existsSync(config) ? (JSON.parse(fs.readFileSync(config, 'utf8')) as { args: string[] }).args : [];
    out.push({ name: `runnable/${dir}`, file: program, text: fs.readFileSync(path.join(folder, program), 'utf8'), options: { target: 'auto', unsafe: args.includes('--unsafe-fixes') }, fixed: false });
  }
  for (const dir of fs.readdirSync(FIX_FIXTURES).sort()) {
    const [target, torchVersion] = dir.split('@') as [FixTarget, string | undefined];
    for (const file of fs.readdirSync(path.join(FIX_FIXTURES, dir)).filter((n) => n.endsWith('.out.py') && !n.startsWith('syntax_error')).sort()) {
      const text = fs.readFileSync(path.join(FIX_FIXTURES, dir, file), 'utf8');
      out.push({ name: `fix/${dir}/${file}`, file, text, options: { target, torchVersion, unsafe: file.includes('.unsafe.') }, fixed: true });
    }
  }
  return out;
}

describe('fix -> scan: fixed code yields no finding that has an automatic fix', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = await loadAnalyzer();
  });

  for (const c of cases()) {
    it(c.name, async () => {
      const fixed = c.fixed ? c.text : (await fixText(c.file, c.text, c.options)).text;
      const findings = analyzer.analyze(c.file, fixed, undefined, { target: c.options.target, torchVersion: c.options.torchVersion }).findings;
      const stillFixable = findings.filter((f) => f.fix && (f.fix.safe || c.options.unsafe));
      assert.deepEqual(stillFixable.map((f) => `${f.rule} line ${f.range.start.line}: ${f.fix?.title}`), []);
      // Nothing is reported inside the helpers Porta inserted.
      const helperLines = new Set<number>();
      const lines = fixed.split('\n');
      lines.forEach((line, i) => {
        if (!/^def _porta_\w+\(/.test(line)) return;
        for (let j = i + 1; j < lines.length && (lines[j]!.trim() === '' || /^\s/.test(lines[j]!)); j++) helperLines.add(j + 1);
      });
      if (!c.file.endsWith('.ipynb')) assert.deepEqual(findings.filter((f) => helperLines.has(f.range.start.line)).map((f) => f.rule), []);
    });
  }
});

describe('already portable code is not flagged', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = await loadAnalyzer();
  });
  const rules = (text: string): string[] => analyzer.analyze('x.py', text).findings.map((f) => `${f.rule}:${f.range.start.line}`);

  it('skips findings inside _porta_* helpers, keeps them elsewhere', () => {
    const text = 'import torch\n\n\ndef _porta_pick():\n    if torch.cuda.is_available():\n        return torch.device("cuda")\n    return torch.device("cpu")\n\n\ndef other():\n    torch.cuda.synchronize()\n';
    assert.deepEqual(rules(text), ['PT-CUDA-002:11']);
  });

  it('open documents (editor, statement cache) skip them too, also after an edit', () => {
    const text = 'import torch\n\n\ndef _porta_pick():\n    if torch.cuda.is_available():\n        return torch.device("cuda")\n    return torch.device("cpu")\n\n\ndef other():\n    torch.cuda.synchronize()\n';
    const doc = analyzer.openDocument('x.py', text);
    try {
      assert.deepEqual(doc.analyze().findings.map((f) => `${f.rule}:${f.range.start.line}`), ['PT-CUDA-002:11']);
      doc.update(text.replace('return torch.device("cpu")', 'return torch.device("cpu")  # fallback'));
      assert.deepEqual(doc.analyze(undefined, null).findings.map((f) => `${f.rule}:${f.range.start.line}`), ['PT-CUDA-002:11']);
    } finally {
      doc.dispose();
    }
  });

  it('cuDNN/TF32 flags guarded by a CUDA device type check are portable; unguarded or else-branch flags are not', () => {
    const text = [
      'import torch',
      'device = torch.device("cpu")',
      'if device.type == "cuda":',
      '    torch.backends.cudnn.benchmark = True',
      '    torch.backends.cuda.matmul.allow_tf32 = True',
      "if 'cuda' == device.type:",
      '    torch.backends.cudnn.deterministic = True',
      'if device.type == "cpu":',
      '    torch.backends.cudnn.benchmark = False',
      'else:',
      '    torch.backends.cudnn.benchmark = True',
      'torch.backends.cudnn.enabled = True',
      '',
    ].join('\n');
    assert.deepEqual(rules(text), ['PT-BACK-001:9', 'PT-BACK-001:11', 'PT-BACK-001:12']);
  });

  it('a capability probe in the CUDA branch of `... if DEVICE.type == "cuda" else ...` (what porta fix writes) is portable', () => {
    const text = [
      'import torch',
      'DEVICE = torch.device("cpu")',
      'a = "bf16" if (torch.cuda.is_bf16_supported() if DEVICE.type == "cuda" else DEVICE.type != "mps") else "fp16"',
      'b = torch.cuda.get_device_capability()[0] >= 8 if DEVICE.type == "cuda" else False',
      'c = DEVICE.type != "mps" if DEVICE.type == "cuda" else torch.cuda.is_bf16_supported()',
      'd = torch.cuda.is_bf16_supported() if DEVICE.type == "cpu" else False',
      '',
    ].join('\n');
    assert.deepEqual(rules(text), ['PT-PROBE-001:5', 'PT-PROBE-001:6']);
  });

  it('ONNX Runtime provider lists with a CPU fallback or filtered by availability are portable', () => {
    const text = [
      'import onnxruntime as ort',
      's1 = ort.InferenceSession("m.onnx", providers=["CUDAExecutionProvider", "CPUExecutionProvider"])',
      'p = [p for p in ("TensorrtExecutionProvider", "CUDAExecutionProvider") if p in ort.get_available_providers()]',
      's2 = ort.InferenceSession("m.onnx", providers=["CUDAExecutionProvider"])',
      's3 = ort.InferenceSession("m.onnx", providers=["CPUExecutionProvider", "CUDAExecutionProvider"])',
      '',
    ].join('\n');
    assert.deepEqual(rules(text), ['ORT-001:4', 'ORT-001:5']);
  });
});

describe('porta fix summary: "remaining" is what porta scan then reports', () => {
  it('counts the same findings as a scan of the fixed files (helpers and guarded flags not included)', async function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-remaining-'));
    try {
      for (const name of ['train_loop', 'profiler_and_flags', 'notebook']) {
        const folder = path.join(RUNNABLE, name);
        const program = fs.readdirSync(folder).find((n) => n.startsWith('program.'))!;
        fs.copyFileSync(path.join(folder, program), path.join(dir, `${name}${path.extname(program)}`));
      }
      const fixed = await porta(['fix', '--unsafe-fixes', dir]);
      assert.equal(fixed.code, 0, fixed.stderr);
      const scan = await porta(['scan', '--format', 'json', dir]);
      const findings = (JSON.parse(scan.stdout) as { findings: Array<{ rule: string }> }).findings;
      const remaining = /remaining in these files: (?:(\d+) findings?|no findings)/.exec(fixed.stderr);
      assert.ok(remaining, fixed.stderr);
      assert.equal(Number(remaining[1] ?? 0), findings.length, `${fixed.stderr}\n${findings.map((f) => f.rule).join(' ')}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

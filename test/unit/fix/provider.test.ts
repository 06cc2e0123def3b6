import * as assert from 'node:assert/strict';
import { createParser } from '../../../src/core/parse/loader';
import { applyEdits } from '../../../src/core/fix';
import { fixableRuleIds, getFixProvider } from '../../../src/core/fix/registry';
import { RULES } from '../../../src/core/rules';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixText } from '../../../src/core/fix';
import { loadAnalyzer } from '../../../src/core/analyze';
import { runPython } from './helpers';

/** The analyzer calls getFixProvider(ruleId)(match, options) per finding; each fix must work on its own. */
describe('fix providers by rule id', () => {
  it('registers the Python rule families', () => {
    for (const id of ['PT-DEV-001', 'PT-DEV-002', 'PT-AMP-001', 'PT-BACK-001', 'PT-DIST-001', 'ORT-001']) {
      assert.ok(fixableRuleIds().includes(id), id);
    }
  });

  it('a single quick fix carries the support code it needs, and the result parses', async () => {
    const parser = await createParser('python');
    const text = 'import torch\n\nx = torch.zeros(2).cuda()\ntorch.backends.cudnn.benchmark = True\n';
    const tree = parser.parse(text)!;
    const call = tree.rootNode.descendantsOfType('call').find((n) => n?.text.endsWith('.cuda()'))!;
    const fix = getFixProvider('PT-DEV-001')!({ ruleId: 'PT-DEV-001', path: 'a.py', text, tree, node: call }, { target: 'cpu' });
    assert.ok(fix);
    assert.equal(fix.safe, true);
    const fixed = applyEdits(text, fix.edits);
    assert.match(fixed, /DEVICE = torch\.device\("cpu"\)\n\n\nx = torch\.zeros\(2\)\.to\(DEVICE\)\ntorch\.backends/);
    assert.equal(parser.parse(fixed)!.rootNode.hasError, false);

    // The analyzer points PT-BACK-001 at the assignment, not the statement: the provider finds the site above it.
    const assignment = tree.rootNode.descendantsOfType('assignment').find((n) => n?.text.startsWith('torch.backends'))!;
    const guard = getFixProvider('PT-BACK-001')!({ ruleId: 'PT-BACK-001', path: 'a.py', text, tree, node: assignment }, { target: 'auto' });
    assert.ok(guard);
    assert.match(applyEdits(text, guard.edits), /if DEVICE\.type == "cuda":\n {4}torch\.backends\.cudnn\.benchmark = True\n/);
  });

  it('the CUDA-or-CPU if/else: the quick fix on its is_available() replaces the statement (unsafe), and the result runs', async () => {
    const parser = await createParser('python');
    const text = 'import torch\n\nif torch.cuda.is_available():\n    device = torch.device("cuda")\nelse:\n    device = torch.device("cpu")\nprint(torch.zeros(1, device=device).device.type)\n';
    const tree = parser.parse(text)!;
    const probe = tree.rootNode.descendantsOfType('call').find((n) => n?.text === 'torch.cuda.is_available()')!;
    const fix = getFixProvider('PT-CUDA-001')!({ ruleId: 'PT-CUDA-001', path: 'a.py', text, tree, node: probe }, { target: 'auto' });
    assert.ok(fix);
    assert.equal(fix.safe, false);
    const fixed = applyEdits(text, fix.edits);
    assert.match(fixed, /\ndevice = DEVICE\nprint\(/);
    assert.doesNotMatch(fixed, /if torch\.cuda\.is_available\(\):\n {4}device/);
    const run = await runPython(['-c', fixed]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'cpu', 'Debian torch 1.13 (CPU) picks the CPU');
  });

  it('tensor.record_stream: flagged (PT-CUDA-004), fixed to record only on device streams, and the result runs on the CPU', async () => {
    const text = [
      'import torch',
      '',
      'x = torch.ones(2)',
      's = torch.cuda.current_stream()',
      'x.record_stream(s)',
      'x.record_stream(stream=s)  # keyword form',
      'print(x.tolist())',
      '',
    ].join('\n');
    const analyzer = await loadAnalyzer();
    const findings = analyzer.analyze('a.py', text, undefined, { target: 'auto' }).findings.filter((f) => f.rule === 'PT-CUDA-004');
    assert.deepEqual(findings.map((f) => f.range.start.line), [5, 6]); // 1-based
    assert.ok(findings.every((f) => f.fix?.safe), 'each has a safe quick fix');

    const fixed = await fixText('a.py', text, { target: 'auto' });
    assert.match(fixed.text, /\n_porta_record_stream\(x, s\)\n_porta_record_stream\(x, s\) {2}# keyword form\n/);
    assert.match(fixed.text, /s = _porta_stream\("current_stream"\)/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-record-stream-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.py'), fixed.text);
      const run = await runPython([path.join(dir, 'a.py')]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, '[1.0, 1.0]\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // The unbound form and the CUDA target are left alone; the xpu target records on torch.xpu's own stream.
    const unbound = 'import torch\n\ntorch.Tensor.record_stream(x, s)\n';
    assert.equal((await fixText('a.py', unbound, { target: 'auto' })).text, unbound);
    assert.equal((await fixText('a.py', text, { target: 'cuda' })).text, text);
    const xpu = (await fixText('a.py', text, { target: 'xpu' })).text;
    assert.match(xpu, /\ns = torch\.xpu\.current_stream\(\)\nx\.record_stream\(s\)\n/);
    assert.equal((await loadAnalyzer()).analyze('a.py', xpu).findings.filter((f) => f.rule === 'PT-CUDA-004').length, 2, 'the stream is a variable: still flagged');
  });

  it('returns no fix when the target needs none', async () => {
    const parser = await createParser('python');
    const text = 'import torch\nx = torch.zeros(2).cuda()\n';
    const tree = parser.parse(text)!;
    const call = tree.rootNode.descendantsOfType('call').find((n) => n?.text.endsWith('.cuda()'))!;
    assert.equal(getFixProvider('PT-DEV-001')!({ ruleId: 'PT-DEV-001', path: 'a.py', text, tree, node: call }, { target: 'rocm' }), undefined);
  });
});

describe('rule catalogue and fixes agree', () => {
  // Text-file rules are fixed by `porta fix` through src/core/fix/environment.ts, not by a per-finding provider.
  const TEXT_FILE_FIXES = new Set(['REQ-001', 'REQ-002', 'REQ-004', 'ENV-001']);

  it('a rule says fixable exactly when a fix exists for it', () => {
    const withProvider = new Set(fixableRuleIds());
    for (const rule of RULES) {
      const hasFix = withProvider.has(rule.id) || TEXT_FILE_FIXES.has(rule.id);
      assert.equal(rule.fixable, hasFix, `${rule.id}: fixable=${rule.fixable} but ${hasFix ? 'a fix exists' : 'no fix exists'}`);
    }
  });
});

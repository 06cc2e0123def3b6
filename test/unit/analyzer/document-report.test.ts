import * as assert from 'node:assert/strict';
import { formatReport, buildReadiness, type ScanResult } from '../../../src/core/report';
import { analyzer, readFixture } from './helpers';

describe('incremental documents', () => {
  it('after edits, the incremental analysis equals a fresh one', async () => {
    const a = await analyzer();
    const text = readFixture('python/runtime.py');
    const doc = a.openDocument('runtime.py', text);
    const first = doc.analyze();
    assert.deepEqual(first, a.analyze('runtime.py', text));
    // Insert a line with a new finding at the top, then change a call in the middle.
    doc.update([{ start: 0, end: 0, text: 'x = y.cuda()\n' }]);
    const at = doc.text.indexOf('torch.cuda.empty_cache()');
    doc.update([{ start: at, end: at + 'torch.cuda.empty_cache()'.length, text: 'torch.accelerator.empty_cache()' }]);
    const incremental = doc.analyze();
    assert.deepEqual(incremental, a.analyze('runtime.py', doc.text));
    assert.equal(incremental.findings[0].rule, 'PT-DEV-001');
    assert.ok(!incremental.findings.some((f) => f.rule === 'PT-CUDA-003' && f.message.includes('empty_cache')));
    // A whole-text update (diffed to one edit) works as well.
    doc.update(doc.text.replace('x = y.cuda()\n', ''));
    const back = doc.analyze();
    assert.deepEqual(back, a.analyze('runtime.py', doc.text));
    assert.equal(back.findings.length, first.findings.length - 1);
    doc.dispose();
  });

  it('stays equal to a fresh analysis over a series of edits (statement cache, moved fixes)', async () => {
    const a = await analyzer();
    const text = readFixture('python/device.py') + '\n' + readFixture('python/runtime.py').replace(/^import .*$/gm, '');
    const doc = a.openDocument('mix.py', text);
    doc.analyze();
    const inserts = ['y = x.cuda()\n', '# comment\n', 'torch.cuda.synchronize()\n', '\n\n', 'import os\n'];
    for (let i = 0; i < 15; i++) {
      const lines = doc.text.split('\n');
      const line = (i * 7919) % lines.length;
      const offset = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
      doc.update([{ start: offset, end: offset, text: inserts[i % inserts.length] }]);
      assert.deepEqual(doc.analyze(), a.analyze('mix.py', doc.text), `after edit ${i}`);
    }
    doc.dispose();
  });

  it('a syntax error that changes what an unchanged import binds (error recovery) invalidates the statements using it', async () => {
    const a = await analyzer();
    const text = 'import torch\nif torch.cuda.is_available():\n    device = "cuda"\nelse:\n    device = "cpu"\n\nfrom torch import cuda as tc\ntc.synchronize()\n';
    const doc = a.openDocument('recovery.py', text);
    assert.ok(doc.analyze().findings.some((f) => f.rule === 'PT-CUDA-002'), 'tc.synchronize() is found while the file parses');
    // A statement typed between the if block and its else: tree-sitter recovers with `from torch` cut off, so the
    // unchanged line now parses as `import cuda as tc`. The cached tc.synchronize() hit must not survive that.
    const at = text.indexOf('else:');
    doc.update([{ start: at, end: at, text: 'y = 1\n' }]);
    assert.deepEqual(doc.analyze(), a.analyze('recovery.py', doc.text));
    doc.update([{ start: at, end: at + 'y = 1\n'.length, text: '' }]);
    assert.deepEqual(doc.analyze(), a.analyze('recovery.py', doc.text));
    doc.dispose();
  });

  it('stays equal to a fresh analysis while edits break and mend the syntax (typing in progress)', async () => {
    const a = await analyzer();
    const text = readFixture('python/device.py') + '\n' + readFixture('python/runtime.py').replace(/^import .*$/gm, '');
    const doc = a.openDocument('typing.py', text);
    doc.analyze();
    // Half-typed code: an open call, a dangling operator, an unclosed string, a stray indent, a lone keyword.
    const fragments = ['x = torch.cuda.synchronize(', 'y = model.cuda() +', 'name = "cuda:0', '        z = 1', 'def', 'torch.cuda.empty_cache()', 'tc = torch.cuda', 'tc.synchronize()', 'x = torch.cuda.'];
    let seed = 17;
    for (let i = 0; i < 36; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const lines = doc.text.split('\n');
      const line = seed % lines.length;
      const offset = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
      if (i % 3 === 2) {
        // Mend: remove the line again (or some other line).
        doc.update([{ start: offset, end: offset + lines[line]!.length + 1, text: '' }]);
      } else {
        doc.update([{ start: offset, end: offset, text: fragments[i % fragments.length] + '\n' }]);
      }
      const incremental = doc.analyze();
      assert.deepEqual(incremental, a.analyze('typing.py', doc.text), `after edit ${i}`);
      if (i === 0) assert.equal(incremental.notes[0]?.kind, 'syntax-error', 'the first fragment breaks the syntax');
    }
    doc.dispose();
  });

  it('diagnostics-only analysis and fixes on request around a range agree with a full analysis', async () => {
    const a = await analyzer();
    const text = readFixture('python/device.py') + '\n' + readFixture('python/runtime.py').replace(/^import .*$/gm, '');
    const doc = a.openDocument('mix.py', text);
    const full = a.analyze('mix.py', text);
    const strip = (f: (typeof full.findings)[number]) => ({ ...f, fix: undefined });
    // What typing publishes: the same findings, none with a fix.
    const live = doc.analyze(undefined, null);
    assert.deepEqual(live.findings.map(strip), full.findings.map(strip));
    assert.ok(live.findings.every((f) => f.fix === undefined));
    // A quick fix at one finding: its fix (equal to the full analysis'), and no fix far away from it.
    const fixable = full.findings.filter((f) => f.fix);
    assert.ok(fixable.length > 2, 'the fixture has several fixable findings');
    const target = fixable[Math.floor(fixable.length / 2)]!;
    const lines = doc.text.split('\n');
    const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column;
    const start = offset(target.range.start.line, target.range.start.column);
    const around = doc.analyze(undefined, undefined, { start, end: start });
    const same = around.findings.find((f) => f.rule === target.rule && f.range.start.line === target.range.start.line && f.range.start.column === target.range.start.column);
    assert.deepEqual(same?.fix, target.fix);
    const far = around.findings.filter((f) => Math.abs(f.range.start.line - target.range.start.line) > 40);
    assert.ok(far.length > 0 && far.every((f) => f.fix === undefined), 'findings in other statements come without fixes');
    // And the whole file with fixes again equals the fresh analysis (the statement cache serves all three).
    assert.deepEqual(doc.analyze(), full);
    doc.dispose();
  });
});

describe('reports', () => {
  async function scanOf(): Promise<ScanResult> {
    const a = await analyzer();
    const py = a.analyze('src/train.py', 'import torch\nm = m.cuda()\ntorch.backends.cudnn.benchmark = True\n');
    const req = a.analyze('requirements.txt', 'torch==2.3.1+cu121\n');
    return { findings: [...py.findings, ...req.findings], notes: [{ path: 'data.bin', kind: 'binary', message: 'Skipped: binary file' }], filesScanned: 3, linesScanned: 4 };
  }

  it('JSON follows the contract: version, 1-based ranges, verdicts, fix or null, summary with readiness', async () => {
    const json = JSON.parse(formatReport(await scanOf(), 'json'));
    assert.equal(json.version, 1);
    const f = json.findings[0];
    assert.deepEqual(Object.keys(f).slice(0, 7), ['path', 'rule', 'severity', 'message', 'range', 'targets', 'fix']);
    assert.equal(f.path, 'src/train.py');
    assert.deepEqual(f.range.start, { line: 2, column: 5 });
    assert.ok(f.fix === null || typeof f.fix.safe === 'boolean');
    assert.equal(json.summary.findings, 3);
    assert.equal(json.summary.readiness.length, 6);
  });

  it('SARIF 2.1.0 with rules, levels and regions', async () => {
    const sarif = JSON.parse(formatReport(await scanOf(), 'sarif'));
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'porta');
    assert.ok(run.tool.driver.rules.some((r: { id: string }) => r.id === 'PT-DEV-001'));
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'PT-DEV-001');
    assert.equal(result.level, 'error');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 2, startColumn: 5, endLine: 2, endColumn: 13 });
    assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'PT-DEV-001');
  });

  it('readiness per target: blockers, degraded, shim and an effort estimate', async () => {
    const readiness = buildReadiness((await scanOf()).findings);
    const byTarget = Object.fromEntries(readiness.map((r) => [r.target, r]));
    assert.equal(byTarget.cuda.status, 'ready');
    assert.equal(byTarget.cuda.effort.level, 'none');
    assert.equal(byTarget.rocm.status, 'blocked'); // the +cu121 wheel
    assert.equal(byTarget.mps.blockers, 2);
    assert.equal(byTarget.npu.shimmed, 1);
    assert.ok(byTarget.mps.effort.hours > 0);
  });

  it('text and markdown are readable and colour only when asked', async () => {
    const scan = await scanOf();
    const text = formatReport(scan, 'text');
    assert.doesNotMatch(text, /\x1b\[/);
    assert.match(text, /src\/train\.py\n\s+2:5\s+error\s+PT-DEV-001/);
    assert.match(text, /breaks on xpu, mps, cpu · shim on npu/);
    assert.match(text, /Target readiness/);
    assert.match(formatReport(scan, 'text', { color: true }), /\x1b\[31merror/);
    const md = formatReport(scan, 'markdown', { targets: ['rocm', 'mps'] });
    assert.match(md, /\| AMD ROCm \| blocked \|/);
    assert.doesNotMatch(md, /Intel XPU/);
    assert.match(md, /\[PT-DEV-001\]\(docs\/rules\/PT-DEV-001\.md\)/);
  });
});

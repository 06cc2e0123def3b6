import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createParser } from '../../../src/core/parse/loader';
import { analyzePythonTree } from '../../../src/core/python/analyzer';
import { loadAnalyzer } from '../../../src/core/analyze';
import { fixText } from '../../../src/core/fix';
import { portaChild } from './child';

describe('hostile: analysis stays linear on adversarial Python', function () {
  // porta scan runs in a child killed after 120 s; before the fix the chain alone took minutes.
  this.timeout(180_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-complexity-'));
    // 3,000 chained .cuda() calls: a tree 6,000 deep whose every level is a finding.
    fs.writeFileSync(path.join(dir, 'chain.py'), `import torch\nx = torch.zeros(1)${'.cuda()'.repeat(3000)}\n`);
    // One 160 KB word of 40,000 "cuda"s, in a string and in a comment.
    fs.writeFileSync(path.join(dir, 'word.py'), `import torch\ns = "${'cuda'.repeat(40_000)}"\n# ${'cuda'.repeat(40_000)}\n`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('porta scan finishes a 3,000-long .cuda() chain and a 40,000-"cuda" word with every finding', async () => {
    const result = await portaChild(['scan', '--format', 'json', '.'], dir, 120_000);
    assert.equal(result.killed, false, 'porta scan did not finish');
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: Array<{ path: string }> };
    assert.equal(report.findings.filter((f) => f.path === 'chain.py').length, 3000);
    assert.equal(report.findings.filter((f) => f.path === 'word.py').length, 0);
  });

  // Every hit 20,000 levels deep: each `parent` and `descendantForIndex` used to descend from the root, so these
  // ran past the analysis budget (20 s) and got a 'skipped' note with part of the findings.
  it('a 20,000-deep .cuda() chain gets every finding with its fix, and no note, within the budget', async () => {
    const analyzer = await loadAnalyzer();
    const result = analyzer.analyze('chain.py', `import torch\nx = torch.zeros(1)${'.cuda()'.repeat(20_000)}\n`);
    assert.deepEqual(result.notes, []);
    assert.equal(result.findings.length, 20_000);
    assert.equal(result.findings.filter((f) => f.fix).length, 20_000);
  });

  it('porta fix rewrites every call of a 20,000-deep .cuda() chain (fix-all climbed from the root for each token: minutes)', async () => {
    const result = await fixText('chain.py', `import torch\nx = torch.zeros(1)${'.cuda()'.repeat(20_000)}\n`, { target: 'auto' });
    assert.equal(result.error, undefined);
    assert.equal(result.text.includes('.cuda()'), false);
    assert.equal(result.text.split('.to(DEVICE)').length - 1, 20_000);
  });

  it('a 20,000-deep chain in a file that has Porta\'s _porta_ helpers (each hit asked whether it is inside one) gets every finding', async () => {
    const analyzer = await loadAnalyzer();
    const text = `import torch\n\n\ndef _porta_pick():\n    return torch.cuda.is_available()\n\n\nx = torch.zeros(1)${'.cuda()'.repeat(20_000)}\n`;
    const result = analyzer.analyze('helpers.py', text, undefined, null);
    assert.deepEqual(result.notes, []);
    assert.equal(result.findings.length, 20_000);
  });

  it('a 109 KB .cuda() chain in a notebook cell gets every finding and no note', async () => {
    const analyzer = await loadAnalyzer();
    const chain = `x = torch.zeros(1)${'.cuda()'.repeat(15_600)}`;
    const notebook = { cells: [{ cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: ['import torch\n', chain] }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    assert.ok(chain.length > 109_000);
    const result = analyzer.analyze('chain.ipynb', JSON.stringify(notebook));
    assert.deepEqual(result.notes, []);
    assert.equal(result.findings.length, 15_600);
  });

  it('a 16,000-deep attribute chain (torch.cuda.cuda...) and 16,000 nested calls are analysed without a stack overflow', async () => {
    const analyzer = await loadAnalyzer();
    const attribute = analyzer.analyze('attr.py', `import torch\nx = torch${'.cuda'.repeat(16_000)}\n`);
    assert.deepEqual(attribute.notes, []);
    assert.equal(attribute.findings.length, 1);
    const nested = analyzer.analyze('nest.py', `import torch\ny = ${'f('.repeat(16_000)}x.cuda()${')'.repeat(16_000)}\n`);
    assert.deepEqual(nested.notes, []);
    assert.deepEqual(nested.findings.map((f) => f.rule), ['PT-DEV-001']);
  });

  it('a file over its analysis budget gets a note and keeps what was found, instead of stalling', async () => {
    const parser = await createParser('python');
    const text = 'import torch\nx = torch.zeros(1).cuda()\n';
    const tree = parser.parse(text)!;
    try {
      const within = analyzePythonTree('a.py', text, tree, null);
      assert.equal(within.findings.length, 1);
      assert.deepEqual(within.notes, []);
      const over = analyzePythonTree('a.py', text, tree, null, undefined, 0);
      assert.equal(over.findings.length, 0);
      assert.equal(over.notes.length, 1);
      assert.equal(over.notes[0].kind, 'skipped');
      assert.match(over.notes[0].message, /Analysis stopped after 0 s \(too complex\): findings cover only part of the file/);
    } finally {
      tree.delete();
    }
  });
});

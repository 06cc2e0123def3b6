import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createParser } from '../../../src/core/parse/loader';
import { analyzePythonTree } from '../../../src/core/python/analyzer';
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

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyPatch, createTwoFilesPatch } from 'diff';
import { fixText } from '../../../src/core/fix';
import { unifiedDiffFromEdits } from '../../../src/core/fix/unifiedDiff';
import { portaChild } from './child';

/** About 1.4 MB of Python, a `.cuda()` fix on every third line. */
function bigProgram(): string {
  const lines = ['import torch', ''];
  for (let i = 0, size = 0; size < 1_400_000; i++) {
    const line = i % 3 === 0 ? `x${i} = torch.zeros(${(i % 5) + 1}).cuda()` : `y${i} = compute(${i}, "text")`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

describe('hostile: porta fix --diff on a big file', function () {
  // The child is killed after 120 s (about 10 s here); before the fix this file's generic diff took 255 s.
  this.timeout(180_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-bigdiff-'));
    fs.writeFileSync(path.join(dir, 'big.py'), bigProgram());
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints a diff of a 1.4 MB file with 15,000 fixes that applies to the original and writes nothing', async () => {
    const before = fs.readFileSync(path.join(dir, 'big.py'), 'utf8');
    const result = await portaChild(['fix', '--diff', 'big.py'], dir, 120_000);
    assert.equal(result.killed, false, 'porta fix --diff did not finish');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'big.py'), 'utf8'), before);
    const patched = applyPatch(before, result.stdout);
    assert.ok(patched !== false, 'the diff does not apply');
    assert.equal(patched, (await fixText('big.py', before, { target: 'auto' })).text);
  });
});

describe('unified diff from the fix edits', () => {
  const cases: Record<string, string> = {
    'one fix': 'import torch\n\nx = torch.zeros(2).cuda()  # to the GPU\ntorch.cuda.synchronize()\n',
    'no newline at the end': 'import torch\nx = torch.zeros(2).cuda()',
    'scattered fixes (several hunks)': `import torch\n${Array.from({ length: 50 }, (_, i) => (i % 7 === 0 ? `y${i} = torch.zeros(1).cuda()\n` : `z${i} = ${i}\n`)).join('')}`,
    'CRLF lines': 'import torch\r\nx = torch.zeros(2).cuda()\r\nprint(1)\r\n',
    'functions and classes': 'x = 1\nimport torch\ndef f(a):\n    return a.cuda()\n\n\nclass A:\n    def g(self):\n        torch.cuda.synchronize()\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`matches the generic line diff: ${name}`, async () => {
      const fixed = await fixText('t.py', text, { target: 'auto' });
      assert.ok(fixed.changed);
      const ours = unifiedDiffFromEdits(text, fixed.text, fixed.edits, 'a/t.py', 'b/t.py');
      assert.equal(ours, createTwoFilesPatch('a/t.py', 'b/t.py', text, fixed.text, undefined, undefined, { context: 3 }).replace(/^(Index: .*\n)?=+\n/, ''));
    });
  }

  it('gives up (undefined) when the edits do not produce the new text', () => {
    assert.equal(unifiedDiffFromEdits('a\nb\n', 'a\nc\n', [{ start: 2, end: 3, text: 'x' }], 'a/t', 'b/t'), undefined);
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createParser } from '../../../src/core/parse/loader';
import { applyEdits, fixText } from '../../../src/core/fix';
import { fixPythonText } from '../../../src/core/fix/python/fixAll';
import type { FixTarget } from '../../../src/core/fix/types';
import { REPO, runPython } from './helpers';

/** test/fixtures/fix/<target>[@<torch version>]/<name>[.unsafe].in.py -> <name>[.unsafe].out.py */
const ROOT = path.join(REPO, 'test/fixtures/fix');

function errorCount(node: { isError: boolean; isMissing: boolean; children: Array<typeof node | null> }): number {
  return (node.isError || node.isMissing ? 1 : 0) + node.children.reduce((n, c) => n + (c ? errorCount(c) : 0), 0);
}

/** Lines of the input that no edit touched, minus the lines the fix rewrote: every comment line must survive verbatim. */
function commentLines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim().startsWith('#'));
}

describe('fix fixtures: .in.py -> .out.py per target', () => {
  for (const dir of fs.readdirSync(ROOT).sort()) {
    const [target, torchVersion] = dir.split('@') as [FixTarget, string | undefined];
    for (const file of fs.readdirSync(path.join(ROOT, dir)).filter((n) => n.endsWith('.in.py')).sort()) {
      const unsafe = file.includes('.unsafe.');
      const options = { target, torchVersion, unsafe };
      const input = fs.readFileSync(path.join(ROOT, dir, file), 'utf8');
      const expected = fs.readFileSync(path.join(ROOT, dir, file.replace('.in.py', '.out.py')), 'utf8');

      describe(`${dir}/${file}`, () => {
        it('rewrites to the expected output; its edit list gives the same text, also from an existing tree', async () => {
          const result = await fixText(file, input, options);
          assert.equal(result.error, undefined);
          assert.equal(result.text, expected);
          assert.equal(applyEdits(input, result.edits), expected, 'the composed edits of every pass');
          const parser = await createParser('python');
          const tree = parser.parse(input)!;
          const reused = fixPythonText(parser, input, options, tree);
          assert.deepEqual(reused, result, 'an open document passes its tree');
          assert.equal(tree.rootNode.text, input, 'the caller keeps its tree, unedited');
          tree.delete();
        });

        it('is idempotent: fixing the output changes nothing', async () => {
          const again = await fixText(file, expected, options);
          assert.equal(again.text, expected);
          assert.equal(again.applied.length, 0);
        });

        it('still parses, with no new syntax errors, and keeps every comment', async () => {
          const parser = await createParser('python');
          const before = errorCount(parser.parse(input)!.rootNode);
          const after = errorCount(parser.parse(expected)!.rootNode);
          assert.ok(after <= before, `syntax errors went from ${before} to ${after}`);
          for (const line of commentLines(input)) assert.ok(expected.includes(line.trim()), `comment lost: ${line}`);
        });
      });
    }
  }
});

describe('fix guarantees', () => {
  it('every expected output compiles with the real Python 3.11 (stricter than tree-sitter about f-strings)', async function () {
    this.timeout(60_000);
    const outputs = fs.readdirSync(ROOT).flatMap((dir) => fs.readdirSync(path.join(ROOT, dir))
      .filter((n) => n.endsWith('.out.py') && !n.startsWith('syntax_error')).map((n) => path.join(ROOT, dir, n)));
    const check = 'import ast, sys\nfor f in sys.argv[1:]:\n    ast.parse(open(f, encoding="utf-8").read(), f)\nprint(len(sys.argv) - 1)\n';
    const result = await runPython(['-c', check, ...outputs]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), String(outputs.length));
  });

  it('makes no edit inside a region with a syntax error', async () => {
    const input = fs.readFileSync(path.join(ROOT, 'auto/syntax_error.in.py'), 'utf8');
    const result = await fixText('x.py', input, { target: 'auto' });
    assert.ok(result.changed);
    assert.match(result.text, /def broken\(:\n {4}y = torch\.ones\(2\)\.cuda\(\)\n {4}return y\n/);
    assert.match(result.text, /z = torch\.ones\(3, device=DEVICE\.type\)/);
  });

  it('leaves code untouched when nothing is CUDA-specific (already portable idioms included)', async () => {
    const input = fs.readFileSync(path.join(ROOT, 'auto/untouched.in.py'), 'utf8');
    const result = await fixText('x.py', input, { target: 'auto' });
    assert.equal(result.changed, false);
    assert.equal(result.text, input);
  });

  it('keeps formatting and unrelated code byte for byte outside the edited spans', async () => {
    const input = 'import torch\n\n\nx  =  torch.zeros( 2 ).cuda( )   # odd spacing stays\ny = [1,2,  3]\n';
    const result = await fixText('x.py', input, { target: 'cpu' });
    assert.match(result.text, /x {2}= {2}torch\.zeros\( 2 \)\.to\(DEVICE\) {3}# odd spacing stays\ny = \[1,2, {2}3\]\n$/);
  });

  it('inserts the device definition once, after the imports, however many sites need it', async () => {
    const input = 'import torch\nimport numpy as np\n\na = torch.ones(1).cuda()\nb = torch.ones(1).cuda()\nc = torch.ones(1, device="cuda")\n';
    const result = await fixText('x.py', input, { target: 'cpu' });
    assert.equal(result.text.match(/^DEVICE = /gm)?.length, 1);
    assert.ok(result.text.indexOf('import numpy as np') < result.text.indexOf('DEVICE = torch.device("cpu")'));
    assert.ok(result.text.indexOf('DEVICE = ') < result.text.indexOf('a = torch'));
  });

  it('adds `import torch` when the file never imported torch itself, and `import torch_npu` for the NPU', async () => {
    const input = 'from torch import nn\n\nm = nn.Linear(2, 2).cuda()\n';
    const result = await fixText('x.py', input, { target: 'npu' });
    assert.match(result.text, /^from torch import nn\nimport torch\nimport torch_npu {2}# noqa/);
    assert.match(result.text, /DEVICE = torch\.device\("npu"\)/);
  });

  it('offers unsafe fixes only on opt-in and reports them', async () => {
    const input = 'import torch\ntorch.cuda.manual_seed_all(1)\n';
    const safe = await fixText('x.py', input, { target: 'auto' });
    assert.equal(safe.changed, false);
    assert.equal(safe.unsafeSkipped.length, 1);
    const unsafe = await fixText('x.py', input, { target: 'auto', unsafe: true });
    assert.equal(unsafe.text, 'import torch\ntorch.manual_seed(1)\n');
  });

  it('fixes notebooks cell by cell, keeping magics and markdown', async () => {
    const nb = fs.readFileSync(path.join(REPO, 'test/fixtures/runnable/notebook/program.ipynb'), 'utf8');
    const result = await fixText('n.ipynb', nb, { target: 'auto' });
    const cells = (JSON.parse(result.text) as { cells: Array<{ cell_type: string; source: string[] }> }).cells;
    assert.equal(cells.length, 5);
    assert.equal(cells[0]!.cell_type, 'markdown');
    assert.equal(cells[1]!.source[0], '%matplotlib inline\n');
    assert.ok(cells[1]!.source.join('').includes('DEVICE = _porta_pick_device()'));
    assert.ok(cells[2]!.source.join('').startsWith('device = DEVICE.type\n'));
    assert.equal(cells[4]!.source[0], '!nvidia-smi\n');
    const again = await fixText('n.ipynb', result.text, { target: 'auto' });
    assert.equal(again.changed, false);
  });
});

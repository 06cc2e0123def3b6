import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixText } from '../../../src/core/fix';
import { hipifyAsync } from '../../../src/core/cuda';
import { porta } from '../fix/helpers';

/** Issue 17: what porta fix (and the editor's Fix All, the same core) writes follows the file's own form. */

const CRLF_PROGRAM = 'import torch\r\n\r\nx = torch.zeros(2).cuda()\r\ntorch.cuda.synchronize()\r\n';

function bareLineFeeds(text: string): number {
  return (text.match(/(?<!\r)\n/g) ?? []).length;
}

describe('porta fix: inserted text follows the file (issue 17)', () => {
  it('writes CRLF line endings into a CRLF file, inserted support code included', async () => {
    for (const torchVersion of ['1.13', '2.6']) {
      const result = await fixText('train.py', CRLF_PROGRAM, { target: 'auto', torchVersion });
      assert.ok(result.changed, result.error);
      assert.match(result.text, /_porta_pick_device|accelerator/);
      assert.equal(bareLineFeeds(result.text), 0, JSON.stringify(result.text));
      // Line for line what the LF file gets, blank lines included.
      const lf = await fixText('train.py', CRLF_PROGRAM.replace(/\r\n/g, '\n'), { target: 'auto', torchVersion });
      assert.equal(result.text, lf.text.replace(/\n/g, '\r\n'));
      // The edits (what the editor's Fix All applies) give the same text, and a second run finds nothing more.
      const again = await fixText('train.py', result.text, { target: 'auto', torchVersion });
      assert.equal(again.text, result.text);
    }
  });

  it('keeps an LF file LF and a mostly-LF file with one CRLF line LF', async () => {
    const mixed = 'import torch\n\nx = torch.zeros(2).cuda()\r\ntorch.cuda.synchronize()\n';
    const result = await fixText('train.py', mixed, { target: 'cpu' });
    assert.ok(result.changed);
    assert.equal((result.text.match(/\r\n/g) ?? []).length, 1);
  });

  it('porta fix writes a CRLF file back with CRLF only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-crlf-'));
    try {
      fs.writeFileSync(path.join(dir, 'train.py'), CRLF_PROGRAM);
      const result = await porta(['fix', '.', '--target', 'cpu'], dir);
      assert.equal(result.code, 0, result.stderr);
      const written = fs.readFileSync(path.join(dir, 'train.py'), 'utf8');
      assert.match(written, /DEVICE = torch\.device\("cpu"\)\r\n/);
      assert.equal(bareLineFeeds(written), 0, JSON.stringify(written));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('porta fix: a notebook keeps its JSON form outside the cells that change (issue 17)', () => {
  // Two-space indentation, key order of its own, a float written as 1.0, non-ASCII escaped (ensure_ascii), a
  // string source and a list source.
  const NOTEBOOK = [
    '{',
    '  "nbformat": 4,',
    '  "nbformat_minor": 5,',
    '  "metadata": {"kernelspec": {"name": "python3"}, "scale": 1.0, "title": "caf\\u00e9"},',
    '  "cells": [',
    '    {"cell_type": "markdown", "metadata": {}, "source": ["# Caf\\u00e9\\n", "text"]},',
    '    {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": "import torch\\n# caf\\u00e9"},',
    '    {',
    '      "cell_type": "code",',
    '      "execution_count": 1,',
    '      "metadata": {},',
    '      "outputs": [],',
    '      "source": [',
    '        "x = torch.zeros(2).cuda()\\n",',
    '        "print(x)"',
    '      ]',
    '    }',
    '  ]',
    '}',
    '',
  ].join('\n');

  it('replaces only the changed cells\' sources, each in its own form', async () => {
    const result = await fixText('nb.ipynb', NOTEBOOK, { target: 'cpu' });
    assert.ok(result.changed, result.error);
    const before = JSON.parse(NOTEBOOK) as { cells: Array<{ source: string | string[] }> };
    const after = JSON.parse(result.text) as { cells: Array<{ source: string | string[] }> };
    // The first code cell gets the device definition and stays a string; the second stays a list, laid out as before.
    assert.equal(typeof after.cells[1]!.source, 'string');
    assert.match(after.cells[1]!.source as string, /DEVICE = torch\.device\("cpu"\)/);
    assert.ok(result.text.includes('# caf\\u00e9'), 'the cell lost its ASCII escapes');
    assert.ok(result.text.includes('      "source": [\n        "x = torch.zeros(2).to(DEVICE)\\n",\n        "print(x)"\n      ]\n'), result.text);
    assert.deepEqual(after.cells[0], before.cells[0]);
    // Every byte outside the two source values is as it was.
    const outside = (text: string): string => text.replace(/"source": "(?:[^"\\]|\\.)*"/g, '"source": S').replace(/"source": \[[^\]]*\]/g, '"source": L');
    assert.equal(outside(result.text), outside(NOTEBOOK));
    // And a second run finds nothing more to do.
    assert.equal((await fixText('nb.ipynb', result.text, { target: 'cpu' })).text, result.text);
  });
});

describe('porta fix --target hip: inserted lines follow the file (issue 17)', () => {
  it('adds the hip_runtime prerequisite with the CRLF ending of a CRLF file', async () => {
    const source = '#include <cooperative_groups.h>\r\n__global__ void k(float *x) { x[threadIdx.x] = 1; }\r\n';
    const result = await hipifyAsync('k.cu', source);
    assert.match(result.text, /#include <hip\/hip_runtime\.h>\r\n/);
    assert.equal(bareLineFeeds(result.text), 0, JSON.stringify(result.text));
  });
});

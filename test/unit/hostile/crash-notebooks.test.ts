import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { folderWith, porta } from './cli';

// Each notebook mentions CUDA, so the byte prefilter sends it to the analyzer.
const CELL = { cell_type: 'code', source: 'import torch\nx = torch.ones(2).cuda()\n' };
const BAD_NOTEBOOKS: Record<string, string> = {
  'null-cell.ipynb': JSON.stringify({ cells: [null, CELL] }),
  'cells-object.ipynb': JSON.stringify({ cells: { first: CELL } }),
  'numeric-source.ipynb': JSON.stringify({ cells: [CELL, { cell_type: 'code', source: 5 }] }),
  'number-in-lines.ipynb': JSON.stringify({ cells: [{ cell_type: 'code', source: ['x.cuda()\n', 7] }] }),
};
const GOOD = 'import torch\nx = torch.ones(2).cuda()\n';

describe('hostile: malformed notebooks (issue 17)', function () {
  this.timeout(60000);
  let root: string;
  beforeEach(() => (root = folderWith({ ...BAD_NOTEBOOKS, 'good.py': GOOD })));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('porta scan of a small folder notes each bad notebook and still reports the good file', async () => {
    const { code, stdout, stderr } = await porta(root, 'scan', '.', '--format', 'json');
    assert.equal(code, 1, stderr);
    const report = JSON.parse(stdout) as { findings: Array<{ path: string }>; notes: Array<{ path: string; message: string }> };
    assert.ok(report.findings.some((f) => f.path === 'good.py'));
    const noted = new Map(report.notes.map((n) => [n.path, n.message]));
    assert.match(noted.get('null-cell.ipynb') ?? '', /cell 1 is null/);
    assert.match(noted.get('cells-object.ipynb') ?? '', /"cells" is an object/);
    assert.match(noted.get('numeric-source.ipynb') ?? '', /cell 2: "source" is a number/);
    assert.match(noted.get('number-in-lines.ipynb') ?? '', /"source" line 2 is a number/);
  });

  it('porta fix notes each bad notebook, leaves it untouched, fixes the rest and prints the summary', async () => {
    const { code, stderr } = await porta(root, 'fix', '.');
    assert.equal(code, 1, stderr);
    for (const [name, text] of Object.entries(BAD_NOTEBOOKS)) {
      assert.match(stderr, new RegExp(`${name.replace('.', '\\.')}: not fixed: .*not a valid notebook`));
      assert.equal(readFileSync(join(root, name), 'utf8'), text);
    }
    assert.notEqual(readFileSync(join(root, 'good.py'), 'utf8'), GOOD);
    assert.match(stderr, /porta fix: changed 1 of 5 files/);
    assert.match(stderr, /4 files left unchanged/);
  });
});

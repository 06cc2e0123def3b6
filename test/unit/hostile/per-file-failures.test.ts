import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAnalyzer, PARSE_LIMIT, type Analyzer } from '../../../src/core/analyze';
import { scanWorkspace } from '../../../src/workspace/scan';
import { portaChild } from './child';

describe('hostile: one file failing never costs the others their results', function () {
  this.timeout(60_000);
  let dir: string;
  let analyzer: Analyzer;
  before(async () => {
    // A plug-in standing in for any analyzer that gives up on one file (tree-sitter aborting on a huge one).
    analyzer = await loadAnalyzer({
      plugins: [{
        id: 'breaks-on-boom',
        handles: (p) => p.endsWith('.boom'),
        analyze: () => {
          throw new Error('Aborted()');
        },
      }],
    });
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-perfile-'));
    fs.writeFileSync(path.join(dir, 'a.boom'), 'anything');
    fs.writeFileSync(path.join(dir, 'train.py'), 'import torch\nx = torch.zeros(1).cuda()\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a scan in this thread notes the failing file and keeps the other findings', async () => {
    const scan = await scanWorkspace(['.'], { cwd: dir, analyzer, workers: 0 });
    assert.deepEqual(scan.findings.map((f) => f.path), ['train.py']);
    assert.deepEqual(scan.notes.map((n) => [n.path, n.kind, n.message]), [['a.boom', 'skipped', 'Internal analyzer error: Aborted()']]);
  });

  it('a text over the parse limit gets a too-large note without reaching the parser, whatever max-file-size says', () => {
    const text = `import torch\nx = torch.zeros(1).cuda()\n${'#'.repeat(PARSE_LIMIT)}\n`;
    const result = analyzer.analyze('big.py', text);
    assert.deepEqual(result.findings, []);
    assert.equal(result.notes.length, 1);
    assert.equal(result.notes[0].kind, 'too-large');
    assert.match(result.notes[0].message, /over the 8388608 the parser can take/);
    // The editor's documents too: opening one does not parse it.
    const document = analyzer.openDocument('big.py', text);
    assert.equal(document.analyze().notes[0]?.kind, 'too-large');
    document.dispose();
    // The parser is still usable afterwards.
    assert.equal(analyzer.analyze('small.py', 'import torch\nx = torch.zeros(1).cuda()\n').findings.length, 1);
  });
});

describe('hostile: an analysis worker that dies mid-scan', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-deadworker-'));
    // Enough candidates for the scan to start its worker pool.
    for (let i = 0; i < 45; i++) fs.writeFileSync(path.join(dir, `m${i}.py`), 'import torch\nx = torch.zeros(1).cuda()\n');
    // A worker that starts, then dies on its first batch, as one out of memory would.
    fs.writeFileSync(path.join(dir, 'dying-worker.js'), `const { parentPort } = require('node:worker_threads');
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', (m) => { if (m.type === 'batch') throw new Error('worker ran out of memory'); if (m.type === 'close') parentPort.close(); });
`);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('its batch is analysed again elsewhere: the scan completes with every file', async () => {
    const scan = await scanWorkspace(['.'], { cwd: dir, workers: 1, workerFile: path.join(dir, 'dying-worker.js'), helpOnThisThread: false });
    assert.equal(new Set(scan.findings.map((f) => f.path)).size, 45);
    assert.deepEqual(scan.notes, []);
  });
});

describe('hostile: a huge file under a raised max-file-size', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-hugefile-'));
    fs.writeFileSync(path.join(dir, 'porta.toml'), '[scan]\nmax-file-size = 1000000000\n');
    fs.writeFileSync(path.join(dir, 'train.py'), 'import torch\nx = torch.zeros(1).cuda()\n');
    // 9 MiB: under the raised max-file-size, over what the parser is given.
    fs.writeFileSync(path.join(dir, 'huge.py'), `import torch\nx = torch.zeros(1).cuda()\n${'y = 1\n'.repeat(1_600_000)}`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is noted as too large for the parser, and every other file keeps its findings', async () => {
    const result = await portaChild(['scan', '--format', 'json', '.'], dir, 90_000);
    assert.equal(result.killed, false, 'porta scan did not finish');
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: Array<{ path: string }>; notes: Array<{ path: string; kind: string; message: string }> };
    assert.deepEqual(report.findings.map((f) => f.path), ['train.py']);
    const note = report.notes.find((n) => n.path === 'huge.py');
    assert.equal(note?.kind, 'too-large');
    assert.match(note.message, /over the 8388608 the parser can take, whatever max-file-size says/);
  });
});

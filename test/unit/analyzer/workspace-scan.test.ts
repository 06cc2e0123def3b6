import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { scanWorkspace } from '../../../src/workspace/scan';
import { walk } from '../../../src/workspace/walk';
import { resolveConfig } from '../../../src/core/config';
import { main } from '../../../src/cli/main';
import { analyzer } from './helpers';

function tree(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-scan-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), content);
  }
  return root;
}

const CUDA_PY = 'import torch\nx = torch.zeros(3).cuda()\n';

describe('workspace walker and scan', () => {
  let root: string;
  afterEach(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('honours .gitignore and excludes, skips binary/non-UTF-8/huge files with notes, survives symlink loops', async () => {
    root = tree({
      '.gitignore': 'build/\n*.gen.py\n',
      'src/train.py': CUDA_PY,
      'src/.gitignore': 'local.py\n',
      'src/local.py': CUDA_PY,
      'build/out.py': CUDA_PY,
      'a.gen.py': CUDA_PY,
      'third_party/lib.py': CUDA_PY,
      'blob.py': Buffer.from([0x69, 0x6d, 0x00, 0x01, 0x02]),
      'latin1.py': Buffer.from('# caf\xe9 torch.cuda\n', 'latin1'),
      'huge.py': 'x = 1\n'.repeat(2000) + CUDA_PY,
      'node_modules/pkg/a.py': CUDA_PY,
    });
    fs.symlinkSync(path.join(root, 'src'), path.join(root, 'src', 'loop'));
    fs.symlinkSync(path.join(root, 'missing'), path.join(root, 'dangling.py'));
    const scan = await scanWorkspace(['.'], { cwd: root, config: resolveConfig({ exclude: ['third_party/**'], maxFileSize: 5000 }), workers: 0 });
    assert.deepEqual([...new Set(scan.findings.map((f) => f.path))], ['src/train.py']);
    const notes = Object.fromEntries(scan.notes.map((n) => [n.path, n.kind]));
    assert.equal(notes['blob.py'], 'binary');
    assert.equal(notes['latin1.py'], 'encoding');
    assert.equal(notes['huge.py'], 'too-large');
    assert.equal(notes['src/loop'], 'skipped');
    assert.equal(notes['dangling.py'], 'skipped');
  });

  it('keeps paths as given and reports unreadable roots', async () => {
    root = tree({ 'pkg/m.py': CUDA_PY });
    const files: string[] = [];
    for await (const e of walk(['./pkg', 'nope'], root)) files.push(e.kind === 'file' ? e.path : `note:${e.note.path}:${e.note.kind}`);
    assert.deepEqual(files, ['./pkg/m.py', 'note:nope:unreadable']);
  });

  it('worker threads give the same findings as the in-thread scan', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`m${String(i).padStart(2, '0')}.py`] = i % 4 !== 0 ? CUDA_PY : 'import os\nprint(os.getcwd())\n';
    root = tree(files);
    const inThread = await scanWorkspace(['.'], { cwd: root, workers: 0 });
    const progress: number[] = [];
    const threaded = await scanWorkspace(['.'], { cwd: root, workers: 2, onProgress: (p) => progress.push(p.filesSeen) });
    assert.equal(threaded.findings.length, 45);
    assert.equal(threaded.workers, 2);
    assert.equal(inThread.workers, 0);
    assert.deepEqual(threaded.findings, inThread.findings);
    assert.equal(threaded.filesScanned, 60);
    assert.ok(progress.length > 0);
  });

  it('a worker that fails to start leaves its share to the main thread: same findings', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) files[`m${String(i).padStart(2, '0')}.py`] = CUDA_PY;
    root = tree(files);
    const broken = path.join(root, 'broken-worker.js');
    fs.writeFileSync(broken, "throw new Error('no grammar here');\n");
    const inThread = await scanWorkspace(['.'], { cwd: root, workers: 0 });
    const threaded = await scanWorkspace(['.'], { cwd: root, workers: 1, workerFile: broken });
    assert.equal(threaded.findings.length, 50);
    assert.deepEqual(threaded.findings, inThread.findings);
    // The extension keeps its thread out of the analysis, unless no worker is left to do it.
    const hostFriendly = await scanWorkspace(['.'], { cwd: root, workers: 1, workerFile: broken, helpOnThisThread: false });
    assert.deepEqual(hostFriendly.findings, inThread.findings);
  });

  it('without help from this thread, the workers analyse everything: same findings', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) files[`m${String(i).padStart(2, '0')}.py`] = CUDA_PY;
    root = tree(files);
    const inThread = await scanWorkspace(['.'], { cwd: root, workers: 0 });
    const workersOnly = await scanWorkspace(['.'], { cwd: root, workers: 1, helpOnThisThread: false });
    assert.deepEqual(workersOnly.findings, inThread.findings);
  });

  it('cancels through an AbortSignal', async () => {
    root = tree({ 'a.py': CUDA_PY });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(scanWorkspace(['.'], { cwd: root, signal: controller.signal, workers: 0, analyzer: await analyzer() }), /cancelled/);
  });
});

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

async function cli(args: string[], cwd: string) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdout, stderr, cwd, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('porta scan (CLI)', () => {
  let root: string;
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('exit codes 0/1/2, formats, no colour or progress off a TTY', async () => {
    root = tree({ 'dirty/a.py': CUDA_PY, 'clean/b.py': 'print(1)\n', 'porta.toml': '[scan]\ntargets = ["rocm", "mps"]\n' });
    const dirty = await cli(['scan', 'dirty'], root);
    assert.equal(dirty.code, 1);
    assert.match(dirty.stdout, /^dirty\/a\.py\n/);
    assert.doesNotMatch(dirty.stdout + dirty.stderr, /\x1b\[/);
    assert.equal(dirty.stderr, '');
    assert.match(dirty.stdout, /breaks on mps/);
    assert.doesNotMatch(dirty.stdout, /Intel XPU/);
    assert.equal((await cli(['scan', 'clean'], root)).code, 0);
    const json = JSON.parse((await cli(['scan', '--format', 'json', 'dirty'], root)).stdout);
    assert.equal(json.findings[0].path, 'dirty/a.py');
    const sarif = JSON.parse((await cli(['scan', '--format=sarif', '--ignore', 'PT-DEV', 'dirty'], root)).stdout);
    assert.equal(sarif.runs[0].results.length, 0);
    assert.equal((await cli(['scan', '--format', 'xml'], root)).code, 2);
    assert.equal((await cli(['scan', '--target', 'tpu'], root)).code, 2);
    assert.equal((await cli(['scan', '--select', 'NOPE-1'], root)).code, 2);
    const missing = await cli(['scan', 'nope'], root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or directory: nope/);
  });

  it('invalid configuration: exit 2 with the file and key named', async () => {
    root = tree({ 'porta.toml': '[scan]\nmax-file-size = -3\n', 'a.py': CUDA_PY });
    const result = await cli(['scan'], root);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /porta\.toml: key 'scan\.max-file-size'/);
  });
});

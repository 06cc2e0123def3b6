import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { portaChild, runSnippet } from './child';

const PROGRAM = 'import torch\nx = torch.zeros(2).cuda()\n';

/** A FIFO nobody writes to: a plain read of it blocks forever. */
function fifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

/** A link to /dev/zero: a plain read of it grows memory until the process dies. */
function zero(file: string): void {
  fs.symlinkSync('/dev/zero', file);
}

describe('hostile: FIFOs and devices named like workspace files', function () {
  // Each case is a child process killed after 60 s; a hang fails the case, it never stalls the run.
  this.timeout(90_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-special-'));
    fs.mkdirSync(path.join(dir, 'project'));
    fs.writeFileSync(path.join(dir, 'project', 'train.py'), PROGRAM);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const project = () => path.join(dir, 'project');

  for (const [name, make] of [['a FIFO', fifo], ['a link to /dev/zero', zero]] as const) {
    it(`porta scan refuses ${name} named porta.toml with a clear error`, async () => {
      make(path.join(project(), 'porta.toml'));
      const result = await portaChild(['scan', '.'], project());
      assert.equal(result.killed, false, 'porta scan hung');
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /porta\.toml: cannot read \((not a regular file)\)/);
    });

    it(`porta scan refuses ${name} named pyproject.toml with a clear error`, async () => {
      make(path.join(project(), 'pyproject.toml'));
      const result = await portaChild(['scan', '.'], project());
      assert.equal(result.killed, false, 'porta scan hung');
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /pyproject\.toml: cannot read \(not a regular file\)/);
    });

    it(`porta scan notes ${name} named .gitignore and still scans the other files`, async () => {
      make(path.join(project(), '.gitignore'));
      const result = await portaChild(['scan', '--format', 'json', '.'], project());
      assert.equal(result.killed, false, 'porta scan hung');
      assert.equal(result.code, 1, result.stderr);
      const report = JSON.parse(result.stdout) as { findings: Array<{ path: string }>; notes?: Array<{ path: string; message: string }> };
      assert.ok(report.findings.some((f) => f.path === 'train.py'), result.stdout);
      assert.ok(JSON.stringify(report).includes('Ignored .gitignore: not a regular file'), result.stdout);
    });

    it(`porta fix --diff ignores ${name} named requirements.txt in a parent folder`, async () => {
      make(path.join(dir, 'requirements.txt'));
      const result = await portaChild(['fix', '--diff', 'train.py'], project());
      assert.equal(result.killed, false, 'porta fix hung');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /\+x = torch\.zeros\(2\)\.to\(/);
    });

    it(`porta targets refuses ${name} named porta.toml with a clear error`, async () => {
      make(path.join(project(), 'porta.toml'));
      const result = await portaChild(['targets'], project());
      assert.equal(result.killed, false, 'porta targets hung');
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /porta\.toml: cannot read \(not a regular file\)/);
    });

    it(`the run sync's .gitignore reader ignores ${name} named .gitignore`, async () => {
      make(path.join(project(), '.gitignore'));
      fs.mkdirSync(path.join(project(), '.git'));
      const code = `require('./src/run/gitignore').gitignoreExcludes(${JSON.stringify(project())}).then((x) => console.log(JSON.stringify(x)))`;
      const result = await runSnippet(code);
      assert.equal(result.killed, false, 'gitignoreExcludes hung');
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), ['/.git/']);
    });
  }

  it('porta runs skips a FIFO named like a run record and lists the others', async () => {
    const runs = path.join(project(), '.porta', 'runs');
    fs.mkdirSync(runs, { recursive: true });
    fifo(path.join(runs, '20260101-000000-abcdef.json'));
    const result = await portaChild(['runs', '--json'], project());
    assert.equal(result.killed, false, 'porta runs hung');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as { runs: unknown[] }).runs, []);
  });

  it('porta targets --discover treats a FIFO discovery cache as no cache', async () => {
    const cache = path.join(project(), '.porta', 'discovery');
    fs.mkdirSync(cache, { recursive: true });
    fifo(path.join(cache, 'local.json'));
    const result = await portaChild(['targets', '--discover', '--json'], project());
    assert.equal(result.killed, false, 'porta targets --discover hung');
    assert.equal(result.code, 0, result.stderr);
    const [local] = (JSON.parse(result.stdout) as { targets: Array<{ name: string; accelerators: string[] }> }).targets;
    assert.equal(local.name, 'local');
    assert.ok(local.accelerators.includes('cpu'), result.stdout);
  });

  it('a source file that became a FIFO or grew after the walk is noted, not read forever or whole', async () => {
    fifo(path.join(project(), 'late.py'));
    fs.writeFileSync(path.join(project(), 'grown.py'), 'x = 1\n'.repeat(1000));
    const code = `const { readSourceFile } = require('./src/workspace/read');
      Promise.all([readSourceFile('late.py', ${JSON.stringify(path.join(project(), 'late.py'))}, 1000, 10),
        readSourceFile('grown.py', ${JSON.stringify(path.join(project(), 'grown.py'))}, 1000, 10)]).then((r) => console.log(JSON.stringify(r)))`;
    const result = await runSnippet(code);
    assert.equal(result.killed, false, 'readSourceFile hung');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), [
      { note: { path: 'late.py', kind: 'unreadable', message: 'Cannot read: not a regular file' } },
      { note: { path: 'grown.py', kind: 'too-large', message: 'Skipped: over the 1000-byte limit (max-file-size)' } },
    ]);
  });

  it('the torch version lookup is asynchronous and skips a FIFO requirements.txt for the real one beside it', async () => {
    fifo(path.join(dir, 'requirements.txt'));
    fs.writeFileSync(path.join(dir, 'requirements-dev.txt'), 'torch==2.1.0\n');
    const code = `const p = require('./src/workspace/torchVersion').declaredTorchVersion(${JSON.stringify(path.join(project(), 'train.py'))});
      if (!(p instanceof Promise)) throw new Error('synchronous');
      p.then((v) => console.log(v))`;
    const result = await runSnippet(code);
    assert.equal(result.killed, false, 'declaredTorchVersion hung');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), '2.1.0');
  });
});

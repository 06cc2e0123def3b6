import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pool, porta, REPO, runPython, type ProcessResult } from './helpers';

/**
 * The proof that rewrites run: every CUDA-only program under test/fixtures/runnable fails on Debian's CPU-only
 * PyTorch as written; after `porta fix` it prints exactly what its hand-ported CPU reference prints; and the
 * unmodified program prints the same through the runtime shim.
 */
const FIXTURES = path.join(REPO, 'test/fixtures/runnable');
const HARNESS = path.join(REPO, 'src/run/harness');
const names = fs.readdirSync(FIXTURES).filter((n) => fs.statSync(path.join(FIXTURES, n)).isDirectory()).sort();

interface Outcome {
  original: ProcessResult;
  fixed: ProcessResult;
  shim: ProcessResult;
  reference: ProcessResult;
  fixLog: ProcessResult;
  fixedText: string;
  originalText: string;
}

function programOf(dir: string): string {
  return fs.existsSync(path.join(dir, 'program.ipynb')) ? 'program.ipynb' : 'program.py';
}

function pythonArgs(program: string): string[] {
  return program.endsWith('.ipynb') ? [path.join(FIXTURES, 'run_notebook.py'), program] : [program];
}

describe('runnable proof: porta fix and the shim make CUDA-only programs run on a CPU-only PyTorch', function () {
  this.timeout(900_000); // ~36 Python starts (torch import ≈1–5 s each, two at a time)
  const outcomes = new Map<string, Outcome>();
  let work: string;

  before(async () => {
    assert.ok(names.length >= 8, `expected at least 8 runnable fixtures, found ${names.length}`);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-runnable-'));
    const tasks = names.map((name) => async (): Promise<void> => {
      const source = path.join(FIXTURES, name);
      const copy = path.join(work, name);
      fs.cpSync(source, copy, { recursive: true });
      const program = programOf(source);
      const configFile = path.join(source, 'porta-fix.json');
      const extra = fs.existsSync(configFile) ? (JSON.parse(fs.readFileSync(configFile, 'utf8')) as { args: string[] }).args : [];
      const original = await runPython(pythonArgs(path.join(source, program)), { cwd: source });
      const fixLog = await porta(['fix', path.join(copy, program), ...extra]);
      const fixed = await runPython(pythonArgs(path.join(copy, program)), { cwd: copy });
      const shim = await runPython(['-m', 'porta_shim', path.join(source, program)], { cwd: source, env: { PYTHONPATH: HARNESS } });
      const reference = await runPython([path.join(source, 'reference.py')], { cwd: source });
      outcomes.set(name, {
        original, fixed, shim, reference, fixLog,
        fixedText: fs.readFileSync(path.join(copy, program), 'utf8'),
        originalText: fs.readFileSync(path.join(source, program), 'utf8'),
      });
    });
    await pool(tasks, 2);
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  for (const name of names) {
    describe(name, () => {
      const expected = (): string => fs.readFileSync(path.join(FIXTURES, name, 'expected.txt'), 'utf8');

      it('fails on CPU-only PyTorch as written', () => {
        const o = outcomes.get(name)!;
        assert.notEqual(o.original.code, 0, `the CUDA-only program unexpectedly ran:\n${o.original.stdout}`);
        assert.match(o.original.stderr, /Torch not compiled with CUDA enabled|NCCL|CUDA/);
      });

      it('the hand-ported CPU reference prints the expected output', () => {
        const o = outcomes.get(name)!;
        assert.equal(o.reference.code, 0, o.reference.stderr);
        assert.equal(o.reference.stdout, expected());
      });

      it('after `porta fix` it prints exactly what the reference prints', () => {
        const o = outcomes.get(name)!;
        assert.equal(o.fixLog.code, 0, o.fixLog.stderr);
        assert.notEqual(o.fixedText, o.originalText, 'porta fix changed nothing');
        assert.equal(o.fixed.code, 0, `fixed program failed:\n${o.fixed.stderr}\n--- fixed source ---\n${o.fixedText}`);
        assert.equal(o.fixed.stdout, expected());
      });

      it('unmodified, through `python -m porta_shim`, it prints the same', () => {
        const o = outcomes.get(name)!;
        assert.equal(o.shim.code, 0, o.shim.stderr);
        assert.equal(o.shim.stdout, expected());
      });
    });
  }
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pool, porta, REPO, runPython, type ProcessResult } from './helpers';

/**
 * Training scripts in the style of public ones (minGPT, nanoGPT, timm's benchmark), CUDA-first, under
 * test/fixtures/shim-scripts: each runs three ways on Debian's CPU-only PyTorch: unmodified through the runtime shim,
 * after `porta fix` (a scratch copy), and as its hand-written CPU reference. The shim and the fixed program print the
 * reference's result: the same text, and numbers within TOLERANCE (the shim keeps a script's bfloat16 autocast where
 * the reference and a fixed nanoGPT-style script run float32).
 */
const FIXTURES = path.join(REPO, 'test/fixtures/shim-scripts');
const HARNESS = path.join(REPO, 'src/run/harness');
const TOLERANCE = 0.01;
/**
 * What `porta scan` may still report after `porta fix` (the rule and the source line), each with no safe fix:
 * nanoGPT's `device_type = "cuda" if "cuda" in device else "cpu"` compares a string and has no rewrite (after the fix
 * `device` is `DEVICE.type`, so it answers for the chosen device); timm's peak-memory read has only an unsafe fix
 * (it reads 0 off-device, which changes the figure printed).
 */
const LEFT_AFTER_FIX: Record<string, string[]> = {
  mingpt_sort: [],
  nanogpt_train: ['PT-DEV-002 device_type = "cuda" if "cuda" in device else "cpu"'],
  timm_benchmark: ['PT-CUDA-003 return out, per_step, torch.cuda.max_memory_allocated()'],
};
const names = fs.readdirSync(FIXTURES).filter((n) => fs.statSync(path.join(FIXTURES, n)).isDirectory()).sort();

/** Asserts `actual` prints what `expected` does: identical words, numbers within TOLERANCE (relative above 1). */
function assertSameResult(actual: string, expected: string, what: string): void {
  const number = /-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi;
  assert.equal(actual.replace(number, '#'), expected.replace(number, '#'), `${what}: the printed text differs`);
  const a = actual.match(number) ?? [];
  const e = expected.match(number) ?? [];
  a.forEach((value, i) => {
    const x = Number(value);
    const y = Number(e[i]);
    assert.ok(Math.abs(x - y) <= TOLERANCE * Math.max(1, Math.abs(y)), `${what}: ${value} is not ${e[i]} (±${TOLERANCE})\n${actual}`);
  });
}

describe('shim scripts: minGPT-, nanoGPT- and timm-style programs run through the shim and after porta fix', function () {
  this.timeout(600_000);
  const runs = new Map<string, { shim: ProcessResult; fixed: ProcessResult; reference: ProcessResult; fixLog: ProcessResult; scan: ProcessResult }>();
  let work: string;

  before(async () => {
    assert.ok(names.length >= 3, `expected at least 3 fixtures, found ${names.length}`);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-shim-scripts-'));
    await pool(names.map((name) => async (): Promise<void> => {
      const source = path.join(FIXTURES, name);
      const copy = path.join(work, name);
      fs.cpSync(source, copy, { recursive: true });
      const shim = await runPython(['-m', 'porta_shim', '--device', 'cpu', path.join(source, 'program.py')], { cwd: source, env: { PYTHONPATH: HARNESS } });
      const fixLog = await porta(['fix', path.join(copy, 'program.py')]);
      const fixed = await runPython([path.join(copy, 'program.py')], { cwd: copy });
      const reference = await runPython([path.join(source, 'reference.py')], { cwd: source });
      const scan = await porta(['scan', '--format', 'json', path.join(copy, 'program.py')]);
      runs.set(name, { shim, fixed, reference, fixLog, scan });
    }), 2);
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('compares numbers within the tolerance and words exactly', () => {
    assertSameResult('loss 2.5734\n', 'loss 2.5732\n', 'close');
    assert.throws(() => assertSameResult('loss 2.6\n', 'loss 2.5\n', 'far'), /is not 2\.5/);
    assert.throws(() => assertSameResult('val 2.5\n', 'loss 2.5\n', 'words'), /text differs/);
  });

  for (const name of names) {
    describe(name, () => {
      const expected = (): string => fs.readFileSync(path.join(FIXTURES, name, 'expected.txt'), 'utf8');

      it('the hand-written CPU reference prints the expected result', () => {
        const r = runs.get(name)!.reference;
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, expected());
      });

      it('unmodified, through `python -m porta_shim`, it prints the reference result and says what it translated', () => {
        const r = runs.get(name)!.shim;
        assert.equal(r.code, 0, r.stderr);
        assertSameResult(r.stdout, expected(), 'shim');
        assert.equal(r.stderr.match(/^porta_shim: on cpu, translated /gm)?.length, 1, r.stderr);
      });

      it('after `porta fix` it prints the reference result', () => {
        const { fixed, fixLog } = runs.get(name)!;
        assert.equal(fixLog.code, 0, fixLog.stderr);
        assert.equal(fixed.code, 0, `${fixed.stderr}\n--- fixed source ---\n${fs.readFileSync(path.join(work, name, 'program.py'), 'utf8')}`);
        assertSameResult(fixed.stdout, expected(), 'fixed');
      });

      it('after `porta fix`, `porta scan` reports nothing the fix handled (no rewritten probe), only what LEFT_AFTER_FIX justifies', () => {
        const { scan } = runs.get(name)!;
        const lines = fs.readFileSync(path.join(work, name, 'program.py'), 'utf8').split('\n');
        const findings = (JSON.parse(scan.stdout) as { findings: Array<{ rule: string; range: { start: { line: number } }; fix: { safe: boolean } | null }> }).findings;
        assert.deepEqual(findings.filter((f) => f.fix?.safe).map((f) => f.rule), [], 'a safe fix left unapplied');
        assert.deepEqual(findings.map((f) => `${f.rule} ${lines[f.range.start.line - 1]!.trim()}`), LEFT_AFTER_FIX[name] ?? []);
      });
    });
  }
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyEdits, fixText } from '../../../src/core/fix';
import { createParser } from '../../../src/core/parse/loader';
import { breakingFixes } from '../../../src/core/fix/python/verifyFixes';
import { summarizeFixAll } from '../../../src/extension/analyzerPort';
import { REPO, runPython } from './helpers';

/** Fixes that keep the program's meaning (issue 14, part 4): each case is a program Porta's fix used to break. */

const FIXTURES = path.join(REPO, 'test/fixtures/fix');

/** Runs a fixed program with Debian's python3 + torch 1.13 (CPU only) from a scratch folder. */
async function runFixed(text: string, name = 'program.py'): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-meaning-'));
  try {
    fs.writeFileSync(path.join(dir, name), text);
    return await runPython([name], { cwd: dir });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('fixes keep the program meaning', function () {
  this.timeout(120_000);

  describe('a fix that would break the syntax is dropped and reported; the others still apply', () => {
    it('two guards that are a function body: the one whose removal empties it is left out, the .cuda() fix applies', async () => {
      const input = [
        'import torch', '', '', 'def check():', '    assert torch.cuda.is_available()', '    assert torch.cuda.is_available(), "needs a GPU"', '', '',
        'x = torch.ones(2).cuda()', 'check_result = None', '',
      ].join('\n');
      const result = await fixText('x.py', input, { target: 'auto', unsafe: true });
      assert.equal(result.error, undefined);
      assert.match(result.text, /^x = torch\.ones\(2\)\.to\(DEVICE\)$/m);
      assert.match(result.text, /def check\(\):\n {4}assert torch\.cuda\.is_available\(\)/, 'the function keeps a statement');
      for (const dropped of result.dropped ?? []) {
        assert.match(input.split('\n')[dropped.line - 1]!, /assert torch\.cuda\.is_available/, 'a dropped fix names its site');
        assert.ok(dropped.reason.length > 0);
      }
      const compiled = await runFixed(`${result.text}\nprint("ran", x.device.type)\n`);
      assert.equal(compiled.code, 0, compiled.stderr);
      assert.equal(compiled.stdout.trim(), 'ran cpu');
    });

    it('breakingFixes keeps every fix that parses with the others and drops only the breaking ones, also a pair that breaks only together', async () => {
      const parser = await createParser('python');
      const text = 'def f():\n    a = 1\n    b = 2\nx = 3\ny = 4\n';
      const at = (s: string): number => text.indexOf(s);
      // Each "fix" removes or rewrites a line: removing both statements of f() empties it (only the pair breaks);
      // the last one writes an unclosed bracket (breaks alone).
      const fixes = [
        { name: 'drop a', edit: { start: at('    a'), end: at('    b'), text: '' } },
        { name: 'x', edit: { start: at('x = 3'), end: at('x = 3') + 5, text: 'x = 30' } },
        { name: 'drop b', edit: { start: at('    b'), end: at('x = 3'), text: '' } },
        { name: 'y', edit: { start: at('y = 4'), end: at('y = 4') + 5, text: 'y = [4' } },
      ];
      const parses = (subset: readonly (typeof fixes)[number][]): boolean => {
        const fixed = applyEdits(text, subset.map((f) => f.edit).sort((p, q) => p.start - q.start));
        const tree = parser.parse(fixed)!;
        const ok = !tree.rootNode.hasError && !tree.rootNode.descendantsOfType('block').some((b) => b && b.namedChildCount === 0);
        tree.delete();
        return ok;
      };
      assert.deepEqual(breakingFixes(fixes, parses).map((f) => f.name), ['drop b', 'y']);
      assert.deepEqual(breakingFixes(fixes.slice(0, 2), parses), [], 'nothing breaks: nothing dropped');
    });

    it('the editor\'s Fix All summary carries the dropped fixes (logged as warnings)', () => {
      const summary = summarizeFixAll({
        text: '', changed: true, edits: [], applied: [], unsafeSkipped: [], conflicts: 0, passes: 1,
        dropped: [{ title: 'Remove the assertion', line: 6, safe: false, reason: 'the file would no longer parse with it' }],
      });
      assert.deepEqual(summary.dropped, ['6: Remove the assertion: the file would no longer parse with it']);
    });

    it('GradScaler(**kwargs) keeps **kwargs as keywords (it was rewritten to `init_scale=**kwargs`, and the file refused)', async () => {
      const input = fs.readFileSync(path.join(FIXTURES, 'auto/grad_scaler_kwargs.in.py'), 'utf8');
      const result = await fixText('x.py', input, { target: 'auto' });
      assert.equal(result.error, undefined);
      assert.equal(result.dropped, undefined);
      const run = await runFixed(`${result.text}\nprint(type(scaler).__name__, strict.get_scale() if strict.is_enabled() else "disabled")\n`);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout.trim(), 'GradScaler disabled'); // torch 1.13 on the CPU: the CUDA scaler, disabled off CUDA
    });
  });

  describe('support code goes where the names it uses are bound', () => {
    for (const name of ['statements_before_imports', 'torch_imported_in_function']) {
      it(`${name}: the fixed module imports and runs on the CPU`, async () => {
        const input = fs.readFileSync(path.join(FIXTURES, `cpu/${name}.in.py`), 'utf8');
        const result = await fixText('x.py', input, { target: 'cpu' });
        assert.equal(result.error, undefined);
        const call = name === 'torch_imported_in_function' ? 'print(make().device)' : 'print(x.device)';
        const run = await runFixed(`${result.text}\n${call}\n`);
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stdout.trim(), 'cpu');
      });
    }
  });
});

describe('.cuda(arg) is rewritten according to what arg is', function () {
  this.timeout(120_000);

  it('a torch.device, an index, a string, device=: the fixed program runs on the CPU for every kind', async () => {
    const input = fs.readFileSync(path.join(FIXTURES, 'auto/cuda_argument_kinds.in.py'), 'utf8');
    const result = await fixText('x.py', input, { target: 'auto' });
    assert.equal(result.error, undefined);
    assert.match(result.text, /\.to\(device\)/, 'a device variable is used as it is');
    const probe = [
      'kinds = [torch.device("cuda"), torch.device("cuda", 0), "cuda", "cuda:0", 0, torch.device("cpu"), "cpu"]',
      'print(model.weight.device.type, sorted({t.device.type for k in kinds for t in place(torch.ones(1), k, 0)}))',
    ].join('\n');
    const run = await runFixed(`${result.text}\n${probe}\n`);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), "cpu ['cpu']");
  });
});

describe('a device index or count keeps its meaning off CUDA', function () {
  this.timeout(120_000);
  const input = (): string => fs.readFileSync(path.join(FIXTURES, 'auto/device_queries.in.py'), 'utf8');

  it('current_device() where a device goes is the device; world_size from device_count() starts one process on the CPU', async () => {
    const result = await fixText('x.py', input(), { target: 'auto', unsafe: true });
    assert.equal(result.error, undefined);
    assert.match(result.text, /device=DEVICE\)/);
    assert.match(result.text, /world_size = max\(1, /);
    assert.match(result.text, /if _porta_device_call\("device_count", default=0\) > 1:/, 'a count compared stays a count');
    const run = await runFixed(result.text);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), '0 1 cpu cpu cpu cpu', 'one process ran, everything on the CPU');
  });

  it('current_device() whose use is unknown is an unsafe fix that says why', async () => {
    const result = await fixText('x.py', input(), { target: 'auto' });
    const line = input().split('\n').findIndex((l) => l.startsWith('    index = ')) + 1;
    const skipped = result.unsafeSkipped.find((s) => s.line === line);
    assert.ok(skipped, JSON.stringify(result.unsafeSkipped));
    assert.match(skipped.title, /first CUDA device/);
    assert.match(result.text, /index = torch\.cuda\.current_device\(\)/);
  });
});

describe('redundant CUDA seeding is dropped, not duplicated', function () {
  this.timeout(120_000);

  it('torch.cuda.manual_seed(s) beside torch.manual_seed(s) goes (with an if around it that holds nothing else); the draws stay the same', async () => {
    const input = fs.readFileSync(path.join(FIXTURES, 'auto/redundant_seed.in.py'), 'utf8');
    for (const unsafe of [false, true]) {
      const result = await fixText('x.py', input, { target: 'auto', unsafe });
      assert.equal(result.error, undefined);
      const body = (name: string): string => result.text.slice(result.text.indexOf(`def ${name}(`)).split('\n\n\n')[0]!;
      assert.equal(body('seed_everything').match(/manual_seed/g)?.length, 1, body('seed_everything'));
      assert.equal(body('main').match(/manual_seed/g)?.length, 1, body('main'));
      assert.doesNotMatch(body('main'), /if /, 'the if that only seeded CUDA went with it');
      const probe = 'seed_everything(7, 0)\na = torch.rand(3)\ntorch.manual_seed(7)\nb = torch.rand(3)\nprint(torch.equal(a, b))\n';
      const run = await runFixed(`${result.text}\n${probe}`);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout.trim(), 'True');
    }
  });
});

describe('code that runs only with CUDA is left alone', function () {
  this.timeout(120_000);

  it('an apex/TensorRT branch, a CUDA-graph capture and "CUDA required for APEX" stay; the generic CUDA assertion and other code are ported', async () => {
    const input = fs.readFileSync(path.join(FIXTURES, 'auto/cuda_only_branches.unsafe.in.py'), 'utf8');
    const result = await fixText('x.py', input, { target: 'auto', unsafe: true });
    assert.equal(result.error, undefined);
    const body = (name: string): string => result.text.slice(result.text.indexOf(`def ${name}(`)).split('\n\n\ndef ')[0]!;
    const original = (name: string): string => input.slice(input.indexOf(`def ${name}(`)).split('\n\n\ndef ')[0]!;
    assert.equal(body('build_optimizer'), original('build_optimizer'), 'the apex branch and its assertion stay');
    assert.equal(body('capture'), original('capture'), 'a CUDA graph capture stays');
    assert.match(body('engine'), /if use_tensorrt:\n[^]*torch\.cuda\.synchronize\(\)/, 'the TensorRT branch stays');
    assert.match(body('engine'), /return torch\.ones\(1\)\.to\(DEVICE\)/, 'code outside it is ported');
    assert.doesNotMatch(body('check'), /is_available/, 'a generic "we need CUDA" assertion is still removed on opt-in');
  });
});

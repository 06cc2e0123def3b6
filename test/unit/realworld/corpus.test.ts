import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

/**
 * The real-world tier (issue 14): `porta fix` over public ML repositories nobody here wrote (../shared/corpus), for
 * every target, with and without unsafe fixes. Every changed Python file must still compile, pyflakes must report
 * nothing new (no undefined names, no names used before their import), a second run must change nothing, and no
 * safe fix may be left out for breaking the syntax. What still fails is listed in corpus-known-problems.json, each a
 * bug to fix: the list may only shrink (PORTA_CORPUS_WRITE_KNOWN=1 rewrites it). The corpus is read-only: each run
 * works on a scratch copy.
 */

const REPO = resolve(__dirname, '../../..');
const CORPUS = resolve(REPO, '..', 'shared', 'corpus');
const CLI = join(REPO, 'dist', 'cli.js');
const PYTHON = '/usr/bin/python3';
const TARGETS = ['auto', 'cpu', 'rocm', 'npu', 'xpu', 'mps'];
const KNOWN_FILE = join(__dirname, 'corpus-known-problems.json');
const KNOWN = (existsSync(KNOWN_FILE) ? JSON.parse(readFileSync(KNOWN_FILE, 'utf8')) : {}) as Record<string, string[]>;

function pythonFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.py')) out.push(full);
    }
  };
  walk(root);
  return out;
}

function porta(cwd: string, args: string[]): { code: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 600000 });
  return { code: result.status, stderr: result.stderr };
}

/** Per file: whether CPython compiles it. One interpreter for all files. */
function compiles(files: string[]): Map<string, boolean> {
  const script = 'import sys, json\nout = {}\nfor f in json.load(sys.stdin):\n    try:\n        compile(open(f, "rb").read(), f, "exec"); out[f] = True\n    except (SyntaxError, ValueError):\n        out[f] = False\nprint(json.dumps(out))\n';
  const result = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(files), encoding: 'utf8', maxBuffer: 64 << 20 });
  return new Map(Object.entries(JSON.parse(result.stdout) as Record<string, boolean>));
}

/** Per file: pyflakes' messages without their positions (a fix moves lines), as a multiset. */
function pyflakes(files: string[], root: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!files.length) return out;
  const result = spawnSync(PYTHON, ['-m', 'pyflakes', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  for (const line of `${result.stdout}${result.stderr}`.split('\n')) {
    const match = /^(.*?\.py):\d+:(?:\d+:?)? (.*)$/.exec(line);
    if (!match) continue;
    const file = relative(root, match[1]!);
    const list = out.get(file) ?? [];
    list.push(match[2]!.replace(/line \d+/g, 'line N'));
    out.set(file, list);
  }
  return out;
}

function newMessages(before: string[] = [], after: string[] = []): string[] {
  const left = [...before];
  return after.filter((message) => {
    const at = left.indexOf(message);
    if (at < 0) return true;
    left.splice(at, 1);
    return false;
  });
}

describe('real-world corpus: porta fix keeps public ML code compiling, flake-free and stable (issue 14)', function () {
  this.timeout(900000);
  let original: Map<string, string>;

  after(() => {
    if (process.env.PORTA_CORPUS_WRITE_KNOWN) writeFileSync(KNOWN_FILE, `${JSON.stringify(KNOWN, null, 2)}\n`);
  });

  before(function () {
    if (!existsSync(CORPUS)) this.skip(); // ../shared/corpus is beside the checkout on the project's machines and in CI
    if (!existsSync(CLI)) this.skip(); // the unit tier runs after the build
    if (spawnSync(PYTHON, ['-m', 'pyflakes', '--version']).status !== 0) this.skip(); // Debian's python3-pyflakes (provision.sh)
    original = new Map(pythonFiles(CORPUS).map((file) => [relative(CORPUS, file), readFileSync(file, 'utf8')]));
  });

  for (const target of TARGETS) {
    for (const unsafe of [false, true]) {
      it(`--target ${target}${unsafe ? ' --unsafe-fixes' : ''}`, () => {
        const scratch = mkdtempSync(join(tmpdir(), 'porta-corpus-'));
        try {
          cpSync(CORPUS, scratch, { recursive: true });
          // shared/ is laid read-only: the copy must be writable for porta fix to write it.
          for (const file of pythonFiles(scratch)) chmodSync(file, 0o644);
          const args = ['fix', '--target', target, ...(unsafe ? ['--unsafe-fixes'] : []), '.'];
          const first = porta(scratch, args);
          assert.notEqual(first.code, 2, first.stderr.slice(-2000));
          const changed = [...original].filter(([file, text]) => readFileSync(join(scratch, file), 'utf8') !== text).map(([file]) => file);
          assert.ok(changed.length > (target === 'rocm' ? 10 : 100), `only ${changed.length} files changed`);

          const problems: string[] = [];
          if (!unsafe) problems.push(...first.stderr.split('\n').filter((l) => l.includes('fix left out')).map((l) => `safe fix left out: ${l}`));

          const originals = changed.map((file) => join(CORPUS, file));
          const fixed = changed.map((file) => join(scratch, file));
          const before = compiles(originals);
          const after = compiles(fixed);
          problems.push(...changed.filter((file) => before.get(join(CORPUS, file)) && !after.get(join(scratch, file))).map((file) => `no longer compiles: ${file}`));

          // A top-level `import torch_npu` is how the npu target registers its device: a side effect pyflakes cannot see.
          const intended = (message: string): boolean => target === 'npu' && message === "'torch_npu' imported but unused";
          // Modules porta fix created (a package's shared _porta_device.py) must compile and be flake-free too.
          const created = pythonFiles(scratch).map((file) => relative(scratch, file)).filter((file) => !original.has(file));
          const createdCompiles = compiles(created.map((file) => join(scratch, file)));
          problems.push(...created.filter((file) => !createdCompiles.get(join(scratch, file))).map((file) => `created module does not compile: ${file}`));
          const flakesCreated = pyflakes(created.map((file) => join(scratch, file)), scratch);
          problems.push(...created.flatMap((file) => (flakesCreated.get(file) ?? []).filter((m) => !intended(m)).map((m) => `pyflakes: ${file} (created): ${m}`)));

          const flakesBefore = pyflakes(originals, CORPUS);
          const flakesAfter = pyflakes(fixed, scratch);
          problems.push(...changed.flatMap((file) => newMessages(flakesBefore.get(file), flakesAfter.get(file)).filter((m) => !intended(m)).map((m) => `pyflakes: ${file}: ${m}`)));

          const snapshot = new Map([...fixed, ...created.map((file) => join(scratch, file))].map((file) => [file, readFileSync(file, 'utf8')]));
          const second = porta(scratch, args);
          assert.notEqual(second.code, 2, second.stderr.slice(-2000));
          problems.push(...[...snapshot.keys()].filter((file) => readFileSync(file, 'utf8') !== snapshot.get(file)).map((file) => `changed again by a second run: ${relative(scratch, file)}`));

          // Known problems are listed (issue 14), so a new one fails and a fixed one must be taken off the list.
          const name = `${target}${unsafe ? ' unsafe' : ''}`;
          if (process.env.PORTA_CORPUS_WRITE_KNOWN) KNOWN[name] = problems.sort();
          else assert.deepEqual(problems.sort(), [...(KNOWN[name] ?? [])].sort(), `problems differ from ${relative(REPO, KNOWN_FILE)} (${name})`);
          console.log(`      ${changed.length} files changed; ${problems.length} known problems (compile, pyflakes, stability)`);
        } finally {
          rmSync(scratch, { recursive: true, force: true });
        }
      });
    }
  }
});

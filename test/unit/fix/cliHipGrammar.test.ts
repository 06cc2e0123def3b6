import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * `porta fix --target hip` compiles the CUDA grammar (4 MB of WebAssembly) only when a file needs the syntax tree.
 * Run in a child process: other tests in this one may already have loaded the grammar.
 */
const REPO = path.resolve(__dirname, '../../..');
const REGULAR = '#include <cuda_runtime.h>\nint main() { float* p; cudaMalloc(&p, 4); cudaFree(p); return 0; }\n';
// An #else without its #if: not lexically regular, so the tree decides (and still renames the confirmed calls).
const IRREGULAR = '#else\nint main() { float* p; cudaMalloc(&p, 4); return 0; }\n#endif\n';

/** Runs porta fix in a fresh process and says whether the CUDA grammar was loaded there. */
function fixInFreshProcess(dir: string): { code: number; grammarLoaded: boolean } {
  const script = `
    const { main } = require(${JSON.stringify(path.join(REPO, 'src/cli/main.ts'))});
    const { isLanguageRequested } = require(${JSON.stringify(path.join(REPO, 'src/core/parse/loader.ts'))});
    const sink = { write: () => true };
    main(['fix', '--target', 'hip', '.'], { stdout: sink, stderr: sink, cwd: ${JSON.stringify(dir)}, env: process.env })
      .then((code) => console.log(JSON.stringify({ code, grammarLoaded: isLanguageRequested('cuda') })));`;
  const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('porta fix --target hip loads the CUDA grammar only when a file needs it', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-hip-grammar-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rewrites lexically regular files without compiling the grammar', () => {
    fs.writeFileSync(path.join(dir, 'a.cu'), REGULAR);
    const result = fixInFreshProcess(dir);
    assert.deepEqual(result, { code: 0, grammarLoaded: false });
    assert.match(fs.readFileSync(path.join(dir, 'a.cu'), 'utf8'), /hipMalloc\(&p, 4\); hipFree\(p\)/);
  });

  it('loads it for a file that is not lexically regular, and rewrites that file from the tree', () => {
    fs.writeFileSync(path.join(dir, 'a.cu'), REGULAR);
    fs.writeFileSync(path.join(dir, 'b.cu'), IRREGULAR);
    const result = fixInFreshProcess(dir);
    assert.equal(result.grammarLoaded, true);
    assert.match(fs.readFileSync(path.join(dir, 'a.cu'), 'utf8'), /hipMalloc/);
    assert.match(fs.readFileSync(path.join(dir, 'b.cu'), 'utf8'), /hipMalloc\(&p, 4\)/);
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeSource, editBytes, encodeSource, hipifyAsync } from '../../../src/core/cuda';
import { porta } from '../fix/helpers';

/** `porta fix --target hip` decodes each C/C++ file once: every encoding round-trips byte for byte outside the edits. */
describe('porta fix --target hip: file encodings', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-fix-enc-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, bytes: Buffer) => fs.writeFileSync(path.join(dir, name), bytes);
  const read = (name: string) => fs.readFileSync(path.join(dir, name));

  it('ASCII, UTF-8 (with a BOM) and latin1 sources keep every byte but the renamed names', async () => {
    write('ascii.cu', Buffer.from('void f(float* p) { cudaFree(p); }\n', 'latin1'));
    write('utf8.cu', Buffer.from('\uFEFF// é → ü\nvoid f(float* p) { cudaFree(p); }\n', 'utf8'));
    write('latin1.cu', Buffer.from('// caf\xe9\nvoid f(float* p) { cudaFree(p); }\n', 'latin1'));
    const result = await porta(['fix', '--target', 'hip', '.'], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(read('ascii.cu'), Buffer.from('void f(float* p) { hipFree(p); }\n', 'latin1'));
    assert.deepEqual(read('utf8.cu'), Buffer.from('\uFEFF// é → ü\nvoid f(float* p) { hipFree(p); }\n', 'utf8'));
    assert.deepEqual(read('latin1.cu'), Buffer.from('// caf\xe9\nvoid f(float* p) { hipFree(p); }\n', 'latin1'));
  });

  it('a binary or too-large C++ file is skipped with its reason, and left as it was', async () => {
    const binary = Buffer.from([0x63, 0x75, 0x64, 0x61, 0x00, 0x01, 0x02]);
    write('blob.cu', binary);
    write('big.cu', Buffer.from(`// ${'x'.repeat(2048)}\nvoid f(float* p) { cudaFree(p); }\n`));
    fs.writeFileSync(path.join(dir, 'porta.toml'), '[scan]\nmax-file-size = 1024\n');
    const result = await porta(['fix', '--target', 'hip', 'blob.cu', 'big.cu'], dir);
    assert.match(result.stderr, /blob\.cu: Skipped: binary file/);
    assert.match(result.stderr, /big\.cu: Skipped: \d+ bytes is over the 1024-byte limit/);
    assert.deepEqual(read('blob.cu'), binary);
    assert.match(read('big.cu').toString('latin1'), /cudaFree/);
  });

  it('an ASCII source whose rewrite is not ASCII is written as UTF-8, never mangled', () => {
    const { text, encoding } = decodeSource(Buffer.from('cudaFree(p);\n', 'latin1'));
    assert.equal(encoding, 'ascii');
    assert.equal(text, 'cudaFree(p);\n');
    assert.deepEqual(Buffer.from(encodeSource('hipFree(p); // →\n', encoding)), Buffer.from('hipFree(p); // →\n', 'utf8'));
  });
});

describe('cuda: editBytes (an ASCII file written straight from its edits)', () => {
  const suite = path.resolve(__dirname, '../../../../shared/reference/hipify/tests/unit_tests');
  const inputs = fs.existsSync(suite) ? fs.readdirSync(suite, { recursive: true, encoding: 'utf8' }).filter((name) => /\.(cu|cpp)$/.test(name)) : [];

  it("gives the bytes of the rewritten text on every ASCII input of hipify's suite", async function () {
    if (inputs.length === 0) this.skip();
    let checked = 0;
    for (const name of inputs) {
      const bytes = fs.readFileSync(path.join(suite, name));
      const { text, encoding } = decodeSource(bytes);
      if (encoding !== 'ascii') continue;
      const result = await hipifyAsync(name, text);
      assert.deepEqual(Buffer.from(editBytes(bytes, result.edits)!), Buffer.from(result.text, 'latin1'), name);
      checked++;
    }
    assert.ok(checked > 100, `only ${checked} ASCII inputs`);
  });

  it('declines non-ASCII bytes or edit text; handles insertions, deletions and edits at both ends', () => {
    const bytes = Buffer.from('abcdef', 'latin1');
    const edits = [
      { start: 0, end: 0, text: '<' },
      { start: 1, end: 3, text: 'XYZ' },
      { start: 4, end: 5, text: '' },
      { start: 6, end: 6, text: '>' },
    ];
    assert.equal(Buffer.from(editBytes(bytes, edits)!).toString('latin1'), '<aXYZdf>');
    assert.equal(editBytes(Buffer.from('é', 'utf8'), []), undefined);
    assert.equal(editBytes(bytes, [{ start: 0, end: 1, text: 'é' }]), undefined);
  });
});

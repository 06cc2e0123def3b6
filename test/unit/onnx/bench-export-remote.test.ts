import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/main';
import { copiesWorkspace } from '../../../src/run/onnx/remote';
import { parseTargetsToml } from '../../../src/run/targets/config';

const TOML = [
  '[targets.box]', 'kind = "ssh"', 'host = "127.0.0.1"',
  '[targets.cluster]', 'kind = "slurm"',
  '[targets.remote-cluster]', 'kind = "slurm"', 'ssh = "box"', '',
].join('\n');

async function porta(cwd: string, ...argv: string[]): Promise<{ code: number; stderr: string }> {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(argv, { stdout: new PassThrough(), stderr, cwd, env: process.env });
  return { code, stderr: err };
}

describe('porta bench FILE.py --class X on a target that syncs a copy of the workspace', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'porta-bench-export-'));
    writeFileSync(join(root, 'porta.toml'), TOML);
    writeFileSync(join(root, 'model.py'), 'import torch\nclass Net(torch.nn.Module):\n    pass\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const list of ['box', 'local,box']) {
    it(`--target ${list}: refused before exporting, saying .porta/exports/ is never synced and what to do instead`, async () => {
      const { code, stderr } = await porta(root, 'bench', 'model.py', '--class', 'Net', '--target', list);
      assert.equal(code, 2, stderr);
      assert.match(stderr, /--class exports to \.porta\/exports\/Net\.onnx, which is never synced to 'box'/);
      assert.match(stderr, new RegExp(`porta bench models/Net\\.onnx --target ${list}`));
      assert.ok(!existsSync(join(root, '.porta', 'exports')), 'nothing was exported');
    });
  }

  it('knows which targets work on a copy: ssh and Slurm via ssh, not local Slurm (shared file system)', () => {
    const targets = parseTargetsToml(TOML, join(root, 'porta.toml'));
    assert.deepEqual(targets.filter((t) => t.name !== 'local').map((t) => [t.name, copiesWorkspace(t)]), [['box', true], ['cluster', false], ['remote-cluster', true]]);
  });
});

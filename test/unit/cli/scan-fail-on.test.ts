import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { porta } from '../fix/helpers';

describe('porta scan --fail-on, porta fix on guarded code', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-fail-on-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a file whose only finding is guarded passes a breaks gate and fails the default one; a breaking call fails both', async () => {
    fs.writeFileSync(path.join(dir, 'guarded.py'), 'import torch\nif torch.cuda.is_available():\n    torch.cuda.synchronize()\n');
    const args = ['scan', '--format', 'json', '--target', 'cpu', '--select', 'PT-CUDA-002', 'guarded.py'];
    assert.equal((await porta(args, dir)).code, 1, 'default: any finding');
    assert.equal((await porta([...args, '--fail-on', 'breaks'], dir)).code, 0);
    assert.equal((await porta([...args, '--fail-on', 'degraded'], dir)).code, 0);
    fs.writeFileSync(path.join(dir, 'guarded.py'), 'import torch\ntorch.cuda.synchronize()\n');
    assert.equal((await porta([...args, '--fail-on', 'breaks'], dir)).code, 1);
  });

  it('porta fix leaves guarded code alone and says so in its summary', async () => {
    const program = 'import torch\nif torch.cuda.is_available():\n    torch.cuda.synchronize()\nx = torch.zeros(2).cuda()\n';
    fs.writeFileSync(path.join(dir, 'train.py'), program);
    const result = await porta(['fix', '--diff', '--target', 'cpu', 'train.py'], dir);
    assert.match(result.stdout, /^ {5}torch\.cuda\.synchronize\(\)$/m, 'the guarded call is unchanged');
    assert.match(result.stdout, /^\+x = torch\.zeros\(2\)\.to\(DEVICE\)$/m, 'the unguarded one is fixed');
    assert.match(result.stderr, /remaining in these files: 2 findings \(PT-CUDA-001, PT-CUDA-002\), 1 of them guarded/);
  });

  it('an unknown --fail-on value is a usage error', async () => {
    const result = await porta(['scan', '--fail-on', 'sometimes', '.'], dir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown --fail-on 'sometimes'/);
  });
});

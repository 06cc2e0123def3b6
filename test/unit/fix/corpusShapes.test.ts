import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fixText } from '../../../src/core/fix';
import { PYTHON } from './helpers';

/**
 * Shapes of real files the corpus tier (test/unit/realworld) caught, each as a minimal program of our own: after
 * `porta fix`, pyflakes has nothing new to say and a second run changes nothing.
 */
function pyflakes(text: string): string[] {
  const result = spawnSync(PYTHON, ['-m', 'pyflakes'], { input: text, encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`.split('\n').filter(Boolean).map((line) => line.replace(/^<stdin>:\d+:(\d+:?)? /, ''));
}

async function fixClean(text: string, options: Parameters<typeof fixText>[2]): Promise<string> {
  const result = await fixText('module.py', text, options);
  assert.equal(result.error, undefined);
  const before = pyflakes(text);
  assert.deepEqual(pyflakes(result.text).filter((m) => !before.includes(m)), [], result.text);
  const again = await fixText('module.py', result.text, options);
  assert.equal(again.changed, false, 'a second run changes nothing');
  return result.text;
}

describe('fix: shapes from the real-world corpus', function () {
  this.timeout(60_000);
  before(function () {
    if (spawnSync(PYTHON, ['-m', 'pyflakes', '--version']).status !== 0) this.skip(); // Debian's python3-pyflakes
  });

  it('a name two branches import from different places (MUSA autocast or CUDA autocast) is left alone, its imports too', async () => {
    const input = [
      'import torch', 'from myplatform import HAS_MUSA', '',
      'if HAS_MUSA:', '    from torch_musa.core.amp import autocast', 'else:', '    try:', '        from torch.cuda.amp import autocast',
      '    except ImportError:', '        pass', '', '',
      'def run(x):', '    with autocast(enabled=True):', '        return x * 2', '',
    ].join('\n');
    for (const target of ['auto', 'cpu', 'rocm'] as const) {
      const text = await fixClean(input, { target, unsafe: true });
      assert.match(text, /with autocast\(enabled=True\):/, `${target}: what the platform picked stays`);
    }
  });

  it('an import one name of which the fixes made unused loses that name only', async () => {
    const input = ['import torch', 'from torch.cuda.amp import GradScaler, autocast', '', 'scaler = GradScaler()', '', '', 'def run(x):', '    with autocast():', '        return x * 2', ''].join('\n');
    const text = await fixClean(input, { target: 'rocm' });
    assert.match(text, /^from torch\.cuda\.amp import GradScaler$/m);
    assert.match(text, /with torch\.amp\.autocast\("cuda"\):/);
  });

  it('a test method that returns early without CUDA (mmcv test_info.py) keeps its skip and the import it needs, with unsafe fixes too', async () => {
    const input = ['# header', 'import torch', '', '', 'class TestInfo:', '    def test_info(self):', '        if not torch.cuda.is_available():', '            return', '        assert 1 + 1 == 2', ''].join('\n');
    const text = await fixClean(input, { target: 'auto', unsafe: true });
    // Inside a function other than main, the early return skips that function (guarded), it is no refusal to remove.
    assert.match(text, /^import torch$/m);
    assert.match(text, /if not torch\.cuda\.is_available\(\):\n {12}return/);
  });

  it('a device count used as a divisor divides by at least one off-device (fairseq: rank % device_count())', async () => {
    const input = ['import torch', '', '', 'def setup(rank):', '    device_id = rank % torch.cuda.device_count()', '    per = 8 // (torch.cuda.device_count())', '    return device_id, per', ''].join('\n');
    const text = await fixClean(input, { target: 'auto' });
    assert.match(text, /rank % max\(1, _porta_device_call\("device_count", default=0\)\)/);
    const ran = spawnSync(PYTHON, ['-c', `${text}\nprint(setup(3))\n`], { encoding: 'utf8' });
    assert.equal(ran.stdout, '(0, 8)\n', ran.stderr);
  });

  it('a notebook-style script that imports as it goes gets its device before its first use', async () => {
    const input = [
      '"""Tutorial."""', 'import torch', 'import torchvision', '', 'print("data")', '', 'import torch.nn as nn', '', '',
      'net = nn.Linear(2, 2)', 'device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")', 'net.to(device)', '',
      'import torch.optim as optim', '', 'optimizer = optim.SGD(net.parameters(), lr=0.1)', 'print(torchvision)', '',
    ].join('\n');
    const text = await fixClean(input, { target: 'auto', unsafe: true });
    assert.ok(text.indexOf('DEVICE = ') < text.indexOf('device = DEVICE'), text);
    assert.ok(text.indexOf('DEVICE = ') > text.indexOf('import torchvision'), 'after the imports it follows');
  });
});

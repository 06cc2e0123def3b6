import * as assert from 'node:assert/strict';
import { fixText } from '../../../src/core/fix';

/** Public signatures and defaults never change in a safe fix (issue 14, part 4): callers rely on them. */
describe('fix: defaults of public functions and class attributes are unsafe to rewrite', () => {
  const input = [
    'import dataclasses', '', 'import torch', '', '',
    "def train_one_epoch(model, loader, device=torch.device('cuda')):", '    return model.to(device)', '', '',
    'def _helper(x, device="cuda"):', '    return x.to(device)', '', '',
    'class Trainer:', '    device: str = "cuda"', '',
    '    def __init__(self, device="cuda:0"):', '        self.device = device', '',
    '    def step(self, x):', '        def inner(y, device="cuda"):', '            return y.to(device)', '', '        return inner(x)', '', '',
    '@dataclasses.dataclass', 'class Config:', '    device: torch.device = torch.device("cuda")', '',
  ].join('\n');

  it('a safe fix leaves public defaults alone and still ports private and local ones', async () => {
    const result = await fixText('train.py', input, { target: 'auto' });
    assert.match(result.text, /def train_one_epoch\(model, loader, device=torch\.device\('cuda'\)\):/);
    assert.match(result.text, /class Trainer:\n {4}device: str = "cuda"/);
    assert.match(result.text, /def __init__\(self, device="cuda:0"\):/);
    assert.match(result.text, /device: torch\.device = torch\.device\("cuda"\)/);
    assert.match(result.text, /def _helper\(x, device=DEVICE\.type\):/, 'a private function is no API');
    assert.match(result.text, /def inner\(y, device=DEVICE\.type\):/, 'a nested function is no API');
  });

  it('each skipped one says which default it would change', async () => {
    const result = await fixText('train.py', input, { target: 'auto' });
    const titles = result.unsafeSkipped.map((s) => `${s.line}: ${s.title}`);
    for (const [line, what] of [[6, "public train_one_epoch()'s parameter device"], [15, 'Trainer.device'], [17, "public __init__()'s parameter device"], [29, 'Config.device']] as const) {
      assert.ok(titles.some((t) => t.startsWith(`${line}: `) && t.includes(`unsafe: changes the default of ${what}`)), `${line} ${what} in ${titles.join('; ')}`);
    }
  });

  it('with --unsafe-fixes they are rewritten, and a second run changes nothing', async () => {
    const result = await fixText('train.py', input, { target: 'auto', unsafe: true });
    assert.match(result.text, /device=DEVICE\):/);
    assert.match(result.text, /device: torch\.device = DEVICE$/m);
    const again = await fixText('train.py', result.text, { target: 'auto', unsafe: true });
    assert.equal(again.changed, false);
  });
});

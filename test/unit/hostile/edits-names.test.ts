import * as assert from 'node:assert/strict';
import { fixText } from '../../../src/core/fix';
import { runPython } from '../fix/helpers';

/** Issue 17: Porta's support code never takes over, nor silently reuses, a name the user's module already binds. */

async function fix(program: string, target: 'auto' | 'cpu' = 'auto'): Promise<string> {
  const result = await fixText('train.py', program, { target, torchVersion: '1.13' });
  assert.ok(result.changed, result.error ?? 'nothing changed');
  const again = await fixText('train.py', result.text, { target, torchVersion: '1.13' });
  assert.equal(again.text, result.text, 'a second run changed the file again');
  return result.text;
}

describe('porta fix: support code and the user\'s own names (issue 17)', () => {
  it('does not reuse a user function that happens to be called _porta_pick_device', async function () {
    this.timeout(120_000);
    const program = [
      'import torch',
      '',
      '',
      'def _porta_pick_device():',
      '    return "the user\'s own"',
      '',
      '',
      'x = torch.zeros(2).cuda()',
      'print(_porta_pick_device(), x.device.type)',
      '',
    ].join('\n');
    const fixed = await fix(program);
    assert.ok(fixed.includes('def _porta_pick_device():\n    return "the user\'s own"\n'), 'the user function was changed');
    assert.match(fixed, /^def _porta_pick_device_2\(\):$/m);
    assert.match(fixed, /^DEVICE = _porta_pick_device_2\(\)$/m);
    // And it runs: the user's function still means what it meant, the tensor lands on the picked device.
    const run = await runPython(['-c', fixed]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), "the user's own cpu");
  });

  it('does not redefine a helper name the user imports', async () => {
    const program = 'import torch\nfrom timing import _porta_event\n\nstart = torch.cuda.Event(enable_timing=True)\nmine = _porta_event()\n';
    const fixed = await fix(program, 'cpu');
    assert.ok(fixed.includes('from timing import _porta_event\n'));
    assert.doesNotMatch(fixed, /^def _porta_event\(/m);
    assert.match(fixed, /^def _porta_event_2\(\*\*kwargs\):$/m);
    assert.match(fixed, /^start = _porta_event_2\(enable_timing=True\)$/m);
    assert.match(fixed, /^mine = _porta_event\(\)$/m);
  });

  it('picks a device variable name the module does not bind yet', async () => {
    const program = 'import torch\n\nDEVICE = "my label"\nPORTA_DEVICE = 3\nx = torch.zeros(2).cuda()\n';
    const fixed = await fix(program, 'cpu');
    assert.match(fixed, /^DEVICE = "my label"$/m);
    assert.match(fixed, /^PORTA_DEVICE = 3$/m);
    assert.match(fixed, /^PORTA_DEVICE_2 = torch\.device\("cpu"\)$/m);
    assert.match(fixed, /^x = torch\.zeros\(2\)\.to\(PORTA_DEVICE_2\)$/m);
  });
});

import * as assert from 'node:assert/strict';
import { fixText } from '../../../src/core/fix';
import { runPython } from './helpers';

/**
 * In a package, a rewritten default value would choose the device when the module is imported (issue 14): it is
 * resolved in the body instead, where that keeps the meaning.
 */
const SHARED = { target: 'auto', shared: { from: '._porta_device' } } as const;

async function fix(input: string, unsafe = false): Promise<Awaited<ReturnType<typeof fixText>>> {
  const result = await fixText('m.py', input, { ...SHARED, unsafe });
  const again = await fixText('m.py', result.text, { ...SHARED, unsafe });
  assert.equal(again.text, result.text, 'a second fix changes nothing');
  const compiled = await runPython(['-c', 'import sys; compile(sys.argv[1], "m.py", "exec")', result.text]);
  assert.equal(compiled.code, 0, compiled.stderr);
  return result;
}

describe('fix: lazy defaults in a package (the device is chosen at call time, not at import)', () => {
  it('a private function\'s "cuda" default becomes None, resolved after the docstring', async () => {
    const input = 'import torch\n\n\ndef _pixels(size, dtype=torch.float32, device="cuda"):\n    """Doc."""\n    return torch.zeros(size, dtype=dtype, device=device)\n';
    const result = await fix(input);
    assert.equal(result.text, 'import torch\nfrom ._porta_device import porta_device\n\n\ndef _pixels(size, dtype=torch.float32, device=None):\n    """Doc."""\n    if device is None:\n        device = porta_device().type\n    return torch.zeros(size, dtype=dtype, device=device)\n');
    assert.ok(result.applied.every((a) => a.safe));
  });

  it('a public default stays unsafe (its title says so), and the defaults are resolved in the order of the parameters', async () => {
    const input = 'import torch\n\n\nclass Erase:\n    def __init__(self, p=0.5, device="cuda", other=torch.device("cuda")):\n        self.device = device\n        self.other = other\n';
    const safeOnly = await fix(input);
    assert.equal(safeOnly.text, input);
    assert.equal(safeOnly.unsafeSkipped.length, 2);
    const result = await fix(input, true);
    assert.match(result.applied[0]!.title, /unsafe: changes the default of public __init__\(\)'s parameter device/);
    assert.match(result.text, /def __init__\(self, p=0\.5, device=None, other=None\):\n {8}if device is None:\n {12}device = porta_device\(\)\.type\n {8}if other is None:\n {12}other = porta_device\(\)\n {8}self\.device = device\n/);
  });

  it('stays a default where None means something in the body, or the default is not a constant', async () => {
    const tests = 'import torch\n\n\ndef _f(device="cuda"):\n    if device is None:\n        return None\n    return torch.ones(1, device=device)\n';
    assert.match((await fix(tests)).text, /def _f\(device=porta_device\(\)\.type\):/);
    const truthy = 'import torch\n\n\ndef _f(device="cuda"):\n    return torch.ones(1, device=device or "cpu")\n';
    assert.match((await fix(truthy)).text, /def _f\(device=porta_device\(\)\.type\):/);
    const variable = 'import torch\nRANK = 1\n\n\ndef _f(device=f"cuda:{RANK}"):\n    return torch.ones(1, device=device)\n';
    assert.match((await fix(variable)).text, /def _f\(device=f"\{porta_device\(\)\.type\}:\{RANK\}"\):/);
  });

  it('a one-line body and a lambda keep the rewritten default', async () => {
    const input = 'import torch\n\n\ndef _f(device="cuda"): return torch.ones(1, device=device)\n\n\ng = lambda device="cuda": torch.ones(1, device=device)\n';
    const result = await fix(input);
    assert.match(result.text, /def _f\(device=porta_device\(\)\.type\): return/);
    assert.match(result.text, /lambda device=porta_device\(\)\.type:/);
  });

  it('a script (no package) keeps the inline default: its DEVICE is chosen at start anyway', async () => {
    const input = 'import torch\n\n\ndef _f(device="cuda"):\n    return torch.ones(1, device=device)\n';
    const result = await fixText('m.py', input, { target: 'auto' });
    assert.match(result.text, /def _f\(device=DEVICE\.type\):/);
  });
});

describe('fix: lazy module-level device names in a package (PEP 562 __getattr__)', () => {
  it('_DEVICE read only inside functions: the functions call porta_device(), the module attribute is chosen on first use', async () => {
    const input = 'import torch\n\n_DEVICE = torch.device("cuda")\n\n\ndef run(x):\n    return x.to(_DEVICE), f"{_DEVICE}"\n';
    const result = await fix(input);
    // torch is no longer named: its import goes (the shared module imports it).
    assert.equal(result.text, [
      'from ._porta_device import porta_device',
      '',
      '',
      'def __getattr__(name):',
      '    """Porta: _DEVICE is chosen on first use, not when the module is imported."""',
      '    if name == "_DEVICE":',
      '        return porta_device()',
      '    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")',
      '',
      '',
      'def run(x):',
      '    return x.to(porta_device()), f"{porta_device()}"',
      '',
    ].join('\n'));
  });

  it('stays eager where the name is read at import, rebound, public without __all__, or the module has a __getattr__ of its own', async () => {
    const shapes = [
      'import torch\n__all__ = ["f"]\n\nDEVICE = torch.device("cuda")\nX = torch.ones(1).to(DEVICE)\n',
      'import torch\n__all__ = ["f"]\n\nDEVICE = torch.device("cuda")\n\n\ndef f(d=DEVICE):\n    return d\n',
      'import torch\n__all__ = ["f"]\n\nDEVICE = torch.device("cuda")\n\n\ndef f():\n    global DEVICE\n    DEVICE = None\n',
      'import torch\n__all__ = ["f"]\n\nDEVICE = torch.device("cuda")\n\n\ndef f(DEVICE):\n    return DEVICE\n',
      'import torch\n__all__ = ["f"]\n\nDEVICE = torch.device("cuda")\n\n\ndef __getattr__(name):\n    raise AttributeError(name)\n',
      'import torch\n__all__ = ["f"]\n\nDEVICE = torch.device("cuda"); N = 1\n',
      // Public, no __all__: `from mod import *` elsewhere in the package (DeepSpeedExamples' constants.py) would lose it.
      'import torch\n\nDEVICE = torch.device("cuda")\n\n\ndef f():\n    return DEVICE\n',
      // Named in __all__: a star import would ask __getattr__, but pyflakes calls the name undefined.
      'import torch\n__all__ = ["DEVICE", "f"]\n\nDEVICE = torch.device("cuda")\n\n\ndef f():\n    return DEVICE\n',
    ];
    for (const input of shapes) {
      const result = await fix(input);
      assert.match(result.text, /^DEVICE = porta_device\(\)/m, input);
      assert.doesNotMatch(result.text, /"""Porta: DEVICE is chosen/, input);
    }
  });

  it('a public DEVICE that the module\'s __all__ leaves out is lazy too (no star import brings it)', async () => {
    const result = await fix('import torch\n__all__ = ["f"]\n\nDEVICE = torch.device("cuda")\n\n\ndef f():\n    return DEVICE\n');
    assert.match(result.text, /if name == "DEVICE":\n {8}return porta_device\(\)\n/);
    assert.match(result.text, /def f\(\):\n {4}return porta_device\(\)\n/);
  });

  it('a script keeps DEVICE = ... inline', async () => {
    const result = await fixText('m.py', 'import torch\n\nDEV = torch.device("cuda")\n\n\ndef f(x):\n    return x.to(DEV)\n', { target: 'auto' });
    assert.match(result.text, /^DEV = DEVICE$/m);
  });
});

describe('fix: custom_fwd/custom_bwd decorators in a package', () => {
  const input = 'import torch\n\n\n@torch.cuda.amp.custom_fwd(cast_inputs=torch.float32)\ndef forward(ctx, x):\n    return x\n';
  it('with torch >= 2.4 declared, a package module still calls the shared helper, which reads the device at the first call', async () => {
    const result = await fixText('m.py', input, { ...SHARED, torchVersion: '2.4' });
    assert.match(result.text, /^@_porta_amp_custom\("custom_fwd", cast_inputs=torch\.float32\)$/m);
    assert.deepEqual(result.shared, ['amp-custom']);
  });
  it('a script keeps torch.amp.custom_fwd(device_type=DEVICE.type)', async () => {
    const result = await fixText('m.py', input, { target: 'auto', torchVersion: '2.4' });
    assert.match(result.text, /^@torch\.amp\.custom_fwd\(device_type=DEVICE\.type, cast_inputs=torch\.float32\)$/m);
  });
});

describe('fix: torch.amp.custom_fwd(device_type="cuda") decorators in a package (apex conv_bias_relu)', () => {
  const input = 'import torch\nfrom torch.amp import custom_bwd\n\n\nclass F(torch.autograd.Function):\n    @staticmethod\n    @torch.amp.custom_fwd(cast_inputs=torch.half, device_type="cuda")\n    def forward(ctx, x):\n        return x\n\n    @staticmethod\n    @custom_bwd(device_type="cuda")\n    def backward(ctx, g):\n        return g\n';
  it('become the shared _porta_amp_custom (device read at the first call); an imported name stays, so its import stays used', async () => {
    const result = await fix(input);
    assert.match(result.text, /^ {4}@_porta_amp_custom\("custom_fwd", cast_inputs=torch\.half\)$/m);
    assert.match(result.text, /^ {4}@custom_bwd\(device_type=porta_device\(\)\.type\)$/m);
    assert.match(result.text, /^from \._porta_device import porta_device, _porta_amp_custom$/m);
  });
  it('a script keeps device_type=DEVICE.type', async () => {
    const result = await fixText('m.py', input, { target: 'auto' });
    assert.match(result.text, /@torch\.amp\.custom_fwd\(cast_inputs=torch\.half, device_type=DEVICE\.type\)/);
  });
});

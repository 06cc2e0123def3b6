import { strict as assert } from 'node:assert';
import { findModuleClasses } from '../../../src/run/onnx/modules';

describe('nn.Module classes for the "Export & benchmark" CodeLens', () => {
  it('finds direct subclasses in their usual spellings, with 0-based lines', () => {
    const source = [
      'import torch',
      'from torch import nn',
      'from torch.nn import Module',
      'class A(nn.Module):',
      '    pass',
      'class B(torch.nn.Module):',
      '    class Inner(Module):',
      '        pass',
      'class C(Mixin, nn.Module):',
      '    pass',
      'class NotAModule(object):',
      'class D(nn.ModuleList):',
      'class E(SomethingModule):',
      '# class F(nn.Module):',
    ].join('\n');
    assert.deepEqual(findModuleClasses(source), [
      { name: 'A', line: 3 },
      { name: 'B', line: 5 },
      { name: 'Inner', line: 6 },
      { name: 'C', line: 8 },
    ]);
  });

  it('finds nothing in files without modules', () => {
    assert.deepEqual(findModuleClasses('x = 1\nclass A:\n    pass\n'), []);
  });
});

import { strict as assert } from 'node:assert';
import { findModuleClasses } from '../../../src/run/onnx/modules';

const lines = (...text: string[]) => text.join('\n');

describe('nn.Module classes for the "Export & benchmark" CodeLens (tree-sitter)', () => {
  it('finds direct subclasses in their usual spellings, with 0-based lines', async () => {
    const source = lines(
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
      '    pass',
      'class D(nn.ModuleList):',
      '    pass',
      'class E(SomethingModule):',
      '    pass',
      '# class F(nn.Module):',
    );
    assert.deepEqual(await findModuleClasses(source), [
      { name: 'A', line: 3 },
      { name: 'B', line: 5 },
      { name: 'Inner', line: 6 },
      { name: 'C', line: 8 },
    ]);
  });

  it('resolves import aliases', async () => {
    const source = lines(
      'import torch as t',
      'import torch.nn as nn2',
      'from torch import nn as layers',
      'from torch.nn import Module as Base',
      'class A(nn2.Module): pass',
      'class B(t.nn.Module): pass',
      'class C(layers.Module): pass',
      'class D(Base, metaclass=Meta): pass',
      'class E(other.Module): pass',
    );
    assert.deepEqual((await findModuleClasses(source)).map((c) => c.name), ['A', 'B', 'C', 'D']);
  });

  it('takes a bare Module only when it comes from torch.nn', async () => {
    assert.deepEqual(await findModuleClasses('from mylib import Module\nclass A(Module):\n    pass\n'), []);
    assert.deepEqual(await findModuleClasses('from torch.nn import *\nclass A(Module):\n    pass\n'), [{ name: 'A', line: 1 }]);
  });

  it('follows subclasses of Module classes defined in the same file', async () => {
    const source = lines(
      'import torch.nn as nn',
      'class Block(nn.Module):',
      '    pass',
      'class Deep(Block):',
      '    pass',
      '@register',
      'class Deeper(Deep, Mixin):',
      '    pass',
      'class Unrelated(Mixin):',
      '    pass',
    );
    assert.deepEqual(await findModuleClasses(source), [
      { name: 'Block', line: 1 },
      { name: 'Deep', line: 3 },
      { name: 'Deeper', line: 6 },
    ]);
  });

  it('ignores classes inside strings and comments', async () => {
    const source = lines(
      'from torch import nn',
      'DOC = """',
      'class InDocstring(nn.Module):',
      '    pass',
      '"""',
      "SNIPPET = 'class InString(nn.Module): pass'",
      '# class InComment(nn.Module):',
      'class Real(nn.Module):',
      '    """class NotThis(nn.Module):"""',
    );
    assert.deepEqual(await findModuleClasses(source), [{ name: 'Real', line: 7 }]);
  });

  it('finds nothing in files without modules, and survives broken code', async () => {
    assert.deepEqual(await findModuleClasses('x = 1\nclass A:\n    pass\n'), []);
    assert.deepEqual(await findModuleClasses(''), []);
    assert.deepEqual((await findModuleClasses('from torch import nn\nclass A(nn.Module):\n    def f(self:\n')).map((c) => c.name), ['A']);
  });
});

import * as assert from 'node:assert/strict';
import { fixText } from '../../../src/core/fix';
import { createParser } from '../../../src/core/parse/loader';

/**
 * Bugs the fuzz test (fuzz.test.ts) found whose fix is not visible as a fuzz property: the replayed inputs in
 * test/fixtures/fuzz cover the rest.
 */
describe('fuzz findings', () => {
  it('support code inserted at the end of a file without a final newline starts on a line of its own', async () => {
    // `import torch` is the last line, without "\n", and the device is used only inside a function: DEVICE goes after it.
    const text = 'def f(m):\n    return m.to("cuda")\nimport torch';
    const result = await fixText('train.py', text, { target: 'cpu' });
    assert.equal(result.error, undefined);
    assert.ok(result.text.startsWith('def f(m):\n    return m.to(DEVICE.type)\nimport torch\n'), JSON.stringify(result.text));
    assert.match(result.text, /^DEVICE = torch\.device\("cpu"\)$/m);
    const tree = (await createParser('python')).parse(result.text)!;
    assert.equal(tree.rootNode.hasError, false);
    tree.delete();
  });

  it('a module-level use above a last-line torch import gets its device (and import) before that use', async () => {
    // `from torch import nn` binds nn, not torch: the support code goes after the leading imports, above `m.to(...)`.
    const result = await fixText('train.py', 'import os\nm.to("cuda")\nfrom torch import nn', { target: 'cpu' });
    assert.equal(result.error, undefined);
    assert.ok(result.text.indexOf('DEVICE = ') < result.text.indexOf('m.to(DEVICE.type)'), JSON.stringify(result.text));
    assert.ok(result.text.startsWith('import os\nimport torch\n'), JSON.stringify(result.text));
    assert.ok(result.text.endsWith('\nfrom torch import nn'), JSON.stringify(result.text));
  });
});

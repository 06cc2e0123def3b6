import * as assert from 'node:assert/strict';
import { fixText } from '../../../src/core/fix';
import { createParser } from '../../../src/core/parse/loader';

/**
 * Bugs the fuzz test (fuzz.test.ts) found whose fix is not visible as a fuzz property: the replayed inputs in
 * test/fixtures/fuzz cover the rest.
 */
describe('fuzz findings', () => {
  it('support code inserted at the end of a file without a final newline starts on a line of its own', async () => {
    // The torch import is the last line, without "\n": `import torch` and DEVICE go after it.
    const text = 'import os\nm.to("cuda")\nfrom torch import nn';
    const result = await fixText('train.py', text, { target: 'cpu' });
    assert.equal(result.error, undefined);
    assert.ok(result.text.startsWith('import os\nm.to(DEVICE.type)\nfrom torch import nn\nimport torch\n'), JSON.stringify(result.text));
    const tree = (await createParser('python')).parse(result.text)!;
    assert.equal(tree.rootNode.hasError, false);
    tree.delete();
  });
});

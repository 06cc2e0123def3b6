import * as assert from 'node:assert/strict';
import { createParser } from '../../../src/core/parse/loader';

describe('tree-sitter loader', () => {
  it('parses Python with the grammar VS Code ships', async () => {
    const parser = await createParser('python');
    const tree = parser.parse('x = torch.zeros(3).cuda()\n');
    assert.ok(tree);
    assert.equal(tree.rootNode.hasError, false);
    assert.match(tree.rootNode.toString(), /call/);
  });

  it('parses bash and C++', async () => {
    const bash = (await createParser('bash')).parse('CUDA_VISIBLE_DEVICES=0 python train.py\n');
    assert.equal(bash?.rootNode.type, 'program');
    const cpp = (await createParser('cpp')).parse('int main() { return 0; }\n');
    assert.equal(cpp?.rootNode.hasError, false);
  });
});

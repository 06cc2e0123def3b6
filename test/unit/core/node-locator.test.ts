import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createParser, type TreeSitter } from '../../../src/core/parse/loader';
import { NodeLocator } from '../../../src/core/parse/locator';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'python');

function describeNode(node: TreeSitter.Node | null): string {
  return node ? `${node.type}@${node.startIndex}-${node.endIndex}` : 'null';
}

describe('NodeLocator: descendantForIndex along a kept path', () => {
  let parser: TreeSitter.Parser;
  before(async () => {
    parser = await createParser('python');
  });

  for (const name of ['device.py', 'device_flow.py', 'guards.py']) {
    it(`finds the node descendantForIndex finds, and the same parents, for every offset of ${name} (in order and shuffled)`, () => {
      const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
      const tree = parser.parse(text)!;
      try {
        const ranges: [number, number][] = [];
        for (let i = 0; i <= text.length; i++) ranges.push([i, i], [i, Math.min(text.length, i + 7)]);
        // A fixed shuffle: lookups out of order must be as right as in order (only slower).
        const shuffled = ranges.map((r, i) => ({ r, k: (i * 7919) % 10007 })).sort((a, b) => a.k - b.k).map((x) => x.r);
        for (const order of [ranges, shuffled]) {
          const locator = new NodeLocator(tree.rootNode);
          for (const [start, end] of order) {
            const found = locator.locate(start, end);
            const expected = tree.rootNode.descendantForIndex(start, end);
            assert.equal(describeNode(found), describeNode(expected), `range ${start}-${end}`);
            assert.equal(describeNode(found.parent), describeNode(expected?.parent ?? null), `parent of ${start}-${end}`);
          }
        }
      } finally {
        tree.delete();
      }
    });
  }
});

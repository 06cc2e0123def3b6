import type * as TreeSitter from '@vscode/tree-sitter-wasm';

type Node = TreeSitter.Node;

/**
 * `root.descendantForIndex(start, end)` for a series of lookups, keeping the path from the root to the last node
 * found. tree-sitter nodes have no parent pointer: `descendantForIndex` and every `parent` descend from the root, so
 * a hit 10,000 levels deep (a long `.cuda()` chain) cost 10,000 steps, and climbing from it 10,000 times that.
 * Here each lookup starts from the deepest node of the kept path that still spans the range, and every node on the
 * path comes from its parent's `children`, which records the parent on it (see nodeCache.ts): climbing from a
 * located node is then a property read. Lookups in increasing offset order visit each node of the tree at most once.
 */
export class NodeLocator {
  private readonly path: Node[];

  constructor(root: Node) {
    this.path = [root];
  }

  /** The smallest node spanning [start, end) (the same node `root.descendantForIndex(start, end)` returns). */
  locate(start: number, end = start): Node {
    const path = this.path;
    while (path.length > 1 && !spans(path[path.length - 1], start, end)) path.pop();
    for (let node = path[path.length - 1]; ; ) {
      const child = childSpanning(node.children, start, end);
      if (!child) return node;
      path.push(child);
      node = child;
    }
  }
}

/** The condition tree-sitter descends by: the node reaches past `start`, to `end`, and begins at or before `start`. */
function spans(node: Node, start: number, end: number): boolean {
  const nodeEnd = node.endIndex;
  return node.startIndex <= start && nodeEnd >= end && nodeEnd > start;
}

/** The one child spanning the range: the first child ending after `start` (children are ordered and disjoint). */
function childSpanning(children: (Node | null)[], start: number, end: number): Node | undefined {
  let lo = 0;
  let hi = children.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const child = children[mid];
    if (child && child.endIndex <= start) lo = mid + 1;
    else hi = mid;
  }
  const child = children[lo];
  return child && spans(child, start, end) ? child : undefined;
}

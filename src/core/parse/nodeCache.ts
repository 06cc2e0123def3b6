import type * as TreeSitter from '@vscode/tree-sitter-wasm';

/**
 * Memoises tree-sitter node properties on the node objects. Each web-tree-sitter property read is a call into WASM
 * (`parent` even descends from the root), and the matchers and fix providers ask the same nodes the same questions
 * many times. A node describes one immutable parse, so caching is safe; `node.edit()` (the only mutation) clears it.
 * Children read through `children`/`namedChildren`/`childForFieldName` learn their parent for free.
 */
interface CachedNode {
  _cType?: number;
  _cEnd?: number;
  _cParent?: CachedNode | null;
  _cText?: string;
  _cFields?: Map<number, CachedNode | null>;
}

let installed = false;

export function installNodeCache(ts: typeof TreeSitter): void {
  if (installed) return;
  installed = true;
  const proto = ts.Node.prototype as unknown as Record<string, unknown>;
  const getter = (name: string) => Object.getOwnPropertyDescriptor(proto, name)?.get as ((this: CachedNode) => unknown) | undefined;
  const method = (name: string) => proto[name] as (this: CachedNode, ...args: unknown[]) => unknown;
  const typeId = getter('typeId');
  const endIndex = getter('endIndex');
  const parent = getter('parent');
  const text = getter('text');
  const children = getter('children');
  const namedChildren = getter('namedChildren');
  const childForFieldId = method('childForFieldId');
  const edit = method('edit');
  if (!typeId || !endIndex || !parent || !text || !children || !namedChildren || !childForFieldId || !edit) return; // unknown runtime: leave it alone

  const define = (name: string, get: (this: CachedNode) => unknown) => Object.defineProperty(proto, name, { get, configurable: true });
  define('typeId', function () {
    return (this._cType ??= typeId.call(this) as number);
  });
  define('endIndex', function () {
    return (this._cEnd ??= endIndex.call(this) as number);
  });
  define('parent', function () {
    if (this._cParent === undefined) this._cParent = parent.call(this) as CachedNode | null;
    return this._cParent;
  });
  define('text', function () {
    return (this._cText ??= text.call(this) as string);
  });
  const adopt = (get: (this: CachedNode) => unknown) =>
    function (this: CachedNode) {
      const list = get.call(this) as (CachedNode | null)[];
      for (const child of list) if (child && child._cParent === undefined) child._cParent = this;
      return list;
    };
  define('children', adopt(children));
  define('namedChildren', adopt(namedChildren));
  proto.childForFieldId = function (this: CachedNode, fieldId: number) {
    const fields = (this._cFields ??= new Map());
    let child = fields.get(fieldId);
    if (child === undefined) {
      child = childForFieldId.call(this, fieldId) as CachedNode | null;
      if (child && child._cParent === undefined) child._cParent = this;
      fields.set(fieldId, child);
    }
    return child;
  };
  proto.edit = function (this: CachedNode, ...args: unknown[]) {
    this._cType = this._cEnd = this._cText = this._cFields = undefined;
    this._cParent = undefined;
    return edit.apply(this, args);
  };
}

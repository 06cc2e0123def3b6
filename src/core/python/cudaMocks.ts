import type { TreeSitter } from '../parse/loader';

type Node = TreeSitter.Node;

/** Bounds: ancestors climbed, and statements before a match read for a monkeypatch. */
const MAX_ANCESTORS = 48;
const MAX_STATEMENTS = 128;
/** `patch`, `mock.patch`, `patch.object`, `unittest.mock.patch(...)`: what replaces an attribute for a test. */
const PATCH_NAMES = new Set(['patch', 'object']);

/**
 * Whether `node` is in a test (a function named `test*`) that fakes CUDA: under `@mock.patch("torch.cuda.set_device")`
 * (or any patch whose target is a CUDA name: `"pkg.accelerators.cuda.num_cuda_devices"`), inside
 * `with mock.patch(...)` of one, or after `monkeypatch.setattr(torch.cuda, "is_available", ...)` in the same function.
 * Such a test is written to run without CUDA, so its CUDA device strings and calls are test data, not lock-in.
 * `mock.patch.dict(os.environ, {...})` sets variables and fakes nothing.
 */
export function inTestFakingCuda(node: Node): boolean {
  let inTest = false;
  let faked = false;
  let inner = node;
  for (let current = node.parent, n = 0; current && n < MAX_ANCESTORS; inner = current, current = current.parent, n++) {
    if (current.type === 'with_statement' && current.childForFieldName('body')?.startIndex === inner.startIndex) {
      if (withItems(current).some(patchesCuda)) faked = true;
    } else if (current.type === 'function_definition') {
      if (current.childForFieldName('name')?.text.startsWith('test')) inTest = true;
      const owner = current.parent;
      if (owner?.type === 'decorated_definition' && decorators(owner).some(patchesCuda)) faked = true;
      if (monkeypatchedBefore(current.childForFieldName('body'), node)) faked = true;
    }
  }
  return inTest && faked;
}

function withItems(statement: Node): Node[] {
  const clause = statement.namedChildren.find((c): c is Node => !!c && c.type === 'with_clause');
  const items = clause?.namedChildren.filter((c): c is Node => !!c && c.type === 'with_item') ?? [];
  return items.map((item) => {
    const value = item.childForFieldName('value') ?? item.namedChild(0);
    return value?.type === 'as_pattern' ? value.namedChild(0) ?? value : value ?? item;
  });
}

function decorators(definition: Node): Node[] {
  return definition.namedChildren.filter((c): c is Node => !!c && c.type === 'decorator').map((d) => d.namedChildren.find((c): c is Node => !!c && c.type !== 'comment') ?? d);
}

/** `mock.patch("torch.cuda.x")`, `patch.object(torch.cuda, "x")`, `mock.patch.object(CUDAAccelerator, "is_available")`. */
function patchesCuda(call: Node): boolean {
  if (call.type !== 'call') return false;
  const fn = call.childForFieldName('function');
  const last = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
  if (!last || !PATCH_NAMES.has(last) || (last === 'object' && !/(^|\.)patch\.object$/.test(fn?.text ?? ''))) return false;
  const target = positional(call)[0];
  return !!target && namesCuda(target);
}

/** `monkeypatch.setattr(torch.cuda, "is_available", ...)` or `monkeypatch.setattr("torch.cuda.device_count", ...)` before `node`. */
function monkeypatchedBefore(body: Node | null, node: Node): boolean {
  const statements = body?.namedChildren.slice(0, MAX_STATEMENTS) ?? [];
  for (const statement of statements) {
    if (!statement || statement.startIndex >= node.startIndex) break;
    const call = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
    const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'setattr' || !/monkeypatch$/.test(fn.childForFieldName('object')?.text ?? '')) continue;
    const target = positional(call!)[0];
    if (target && namesCuda(target)) return true;
  }
  return false;
}

/** A patch target naming CUDA: a string or dotted name with a segment `cuda` or a word `cuda` (`num_cuda_devices`). */
function namesCuda(target: Node): boolean {
  let text: string;
  if (target.type === 'string') {
    if (target.namedChildren.some((c) => c?.type === 'interpolation')) return false;
    text = target.namedChildren.filter((c): c is Node => !!c && c.type === 'string_content').map((c) => c.text).join('');
  } else if (target.type === 'identifier' || target.type === 'attribute') text = target.text;
  else return false;
  return text.split('.').some((segment) => segment.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase().split('_').includes('cuda'));
}

function positional(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'comment' && c.type !== 'keyword_argument');
}

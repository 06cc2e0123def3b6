import type { TreeSitter } from '../../parse/loader';
import type { FixContext } from './context';
import { qualifiedName } from './imports';
import { replaceCall } from './nodes';
import type { Rewrite } from './rewrite';
import { SHARED_DEVICE } from './sharedSupport';

type Node = TreeSitter.Node;

/**
 * In a package, `@torch.amp.custom_fwd(..., device_type="cuda")` rewritten to `device_type=porta_device().type` would
 * choose the device when the module is imported (decorators run then). It becomes the shared module's
 * `@_porta_amp_custom("custom_fwd", ...)`, which applies `torch.amp.custom_fwd(device_type=porta_device().type, ...)`
 * when the decorated function is first called.
 */
export function lazyAmpDecorator(node: Node, rewrite: Rewrite, ctx: FixContext): Rewrite | undefined {
  if (!rewrite.edits.some((e) => e.text.includes(SHARED_DEVICE))) return undefined;
  let keyword: Node | undefined;
  for (let current: Node | null = node; current; current = current.parent) {
    if (current.type === 'keyword_argument') {
      keyword = current;
      break;
    }
    if (current.type.endsWith('_statement') || current.type === 'block' || current.type === 'decorator') return undefined;
  }
  const value = keyword?.childForFieldName('value');
  if (!keyword || keyword.childForFieldName('name')?.text !== 'device_type' || !value) return undefined;
  if (rewrite.edits.some((e) => e.start < value.startIndex || e.end > value.endIndex)) return undefined;
  const call = keyword.parent?.parent;
  const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
  if (!call || !fn || call.parent?.type !== 'decorator') return undefined;
  const name = /^torch\.amp\.(custom_fwd|custom_bwd)$/.exec(qualifiedName(fn, ctx.imports) ?? '')?.[1];
  // Spelled through torch itself: an imported name (`from torch.amp import custom_fwd`) would be left unused.
  if (!name || !fn.text.startsWith(`${ctx.torch}.`)) return undefined;
  const others = keyword.parent!.namedChildren.filter((a): a is Node => !!a && a.id !== keyword.id && a.type !== 'comment');
  if (others.some((a) => a.type !== 'keyword_argument')) return undefined; // the function itself, or **kwargs
  const text = `${ctx.helpers['amp-custom']}(${[`"${name}"`, ...others.map((a) => a.text)].join(', ')})`;
  return { ...rewrite, title: `${rewrite.title}, read when the decorated function is first called`, edits: [replaceCall(call, text)], needs: ['amp-custom'] };
}

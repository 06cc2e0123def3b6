import type { TreeSitter } from '../parse/loader';
import { stringValue } from './strings';

type Node = TreeSitter.Node;

/** Device types that per-vendor tables are keyed by (`torch.device(...).type` values and vendor plug-ins). */
const DEVICE_TYPES = new Set(['cuda', 'cpu', 'xpu', 'npu', 'mps', 'hpu', 'mlu', 'musa', 'xla', 'hip', 'rocm', 'gcu', 'sdaa']);

/**
 * The value of the `"cuda"` entry in a table keyed by device type that names another device type too
 * (`{"xpu": "ccl", "cuda": "nccl", "npu": "hccl"}`, timm's distributed backends): the CUDA arm of per-vendor code,
 * chosen only on CUDA, not lock-in. A table with a `"cuda"` key alone still is.
 */
export function isCudaValueOfPerVendorTable(node: Node): boolean {
  const pair = node.parent;
  if (pair?.type !== 'pair' || pair.childForFieldName('value')?.startIndex !== node.startIndex) return false;
  const keyOf = (entry: Node): string | undefined => {
    const key = entry.childForFieldName('key');
    return key?.type === 'string' ? stringValue(key).value : undefined;
  };
  if (keyOf(pair) !== 'cuda' || pair.parent?.type !== 'dictionary') return false;
  return pair.parent.namedChildren.some((entry) => entry?.type === 'pair' && keyOf(entry) !== 'cuda' && DEVICE_TYPES.has(keyOf(entry) ?? ''));
}

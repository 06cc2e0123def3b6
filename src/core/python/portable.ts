import type { TreeSitter } from '../parse/loader';

type Node = TreeSitter.Node;

/** `<anything>.type == "cuda"` (either order, either quote): the code below runs only on a CUDA-typed device. */
const CUDA_TYPE_CHECK = /\.type\s*==\s*["']cuda["']|["']cuda["']\s*==\s*[\w.]+\.type\b/;

/**
 * Code that is already portable although it names CUDA: Porta's own inserted code (and the same idioms written by hand).
 * - anything inside a function named `_porta_*` (the helpers `porta fix` inserts probe `torch.cuda` on purpose);
 * - cuDNN/TF32/backend flags (PT-BACK-*) set inside `if <device>.type == "cuda":`;
 * - capability probes (PT-PROBE-001) asked only after `<device>.type == "cuda" and`, or only in the CUDA branch of
 *   `<probe> if <device>.type == "cuda" else <answer>` (what `porta fix` writes for a probe that picks a dtype);
 * - ONNX Runtime provider lists that end in `CPUExecutionProvider`, or that are filtered by `get_available_providers()`.
 * `hasHelpers` says whether the file mentions `_porta_` at all (so clean files pay nothing for the ancestor walk).
 */
export function isAlreadyPortable(ruleId: string, node: Node, hasHelpers: boolean, helperMemo = new Map<number, boolean>()): boolean {
  if (hasHelpers && insidePortaHelper(node, helperMemo)) return true;
  if (ruleId.startsWith('PT-BACK-')) return guardedByCudaType(node);
  if (ruleId === 'ORT-001') return providerListHasFallback(node);
  if (ruleId === 'PT-PROBE-001') return guardedByCudaType(node) || afterCudaTypeCheck(node) || cudaBranchOfConditional(node);
  return false;
}

/** `memo` holds the answer per ancestor already climbed: hits 10,000 levels deep share their climb. */
function insidePortaHelper(node: Node, memo: Map<number, boolean>): boolean {
  const climbed: number[] = [];
  let inside = false;
  for (let n: Node | null = node.parent; n; n = n.parent) {
    const known = memo.get(n.id);
    if (known !== undefined) {
      inside = known;
      break;
    }
    climbed.push(n.id);
    if (n.type === 'function_definition' && n.childForFieldName('name')?.text.startsWith('_porta_')) {
      inside = true;
      break;
    }
  }
  for (const id of climbed) memo.set(id, inside);
  return inside;
}

function guardedByCudaType(node: Node): boolean {
  let child: Node = node;
  for (let n: Node | null = node.parent; n; child = n, n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'class_definition') return false;
    if (n.type !== 'if_statement') continue;
    const consequence = n.childForFieldName('consequence');
    const condition = n.childForFieldName('condition');
    if (consequence && sameSpan(consequence, child) && condition && CUDA_TYPE_CHECK.test(condition.text)) return true;
  }
  return false;
}

/** `DEVICE.type == "cuda" and torch.cuda.get_device_capability() >= (8, 0)`: asked only on a CUDA device. */
function afterCudaTypeCheck(node: Node): boolean {
  let child: Node = node;
  for (let n: Node | null = node.parent; n && (n.type === 'comparison_operator' || n.type === 'boolean_operator' || n.type === 'parenthesized_expression' || n.type === 'not_operator'); child = n, n = n.parent) {
    if (n.type !== 'boolean_operator' || n.childForFieldName('operator')?.text !== 'and') continue;
    const left = n.childForFieldName('left');
    if (left && !sameSpan(left, child) && CUDA_TYPE_CHECK.test(left.text)) return true;
  }
  return false;
}

/** `(torch.cuda.is_bf16_supported() if DEVICE.type == "cuda" else DEVICE.type != "mps")`: the probe runs only on CUDA. */
function cudaBranchOfConditional(node: Node): boolean {
  let child: Node = node;
  for (let n: Node | null = node.parent; n; child = n, n = n.parent) {
    if (n.type === 'conditional_expression') {
      const [consequence, condition] = n.namedChildren;
      if (consequence && sameSpan(consequence, child) && condition && CUDA_TYPE_CHECK.test(condition.text)) return true;
      continue; // the probe may sit in the consequence of an outer CUDA conditional
    }
    if (n.type !== 'comparison_operator' && n.type !== 'boolean_operator' && n.type !== 'parenthesized_expression' &&
      n.type !== 'not_operator' && n.type !== 'subscript') return false;
  }
  return false;
}

function providerListHasFallback(node: Node): boolean {
  const list = node.parent;
  if (list?.type !== 'list' && list?.type !== 'tuple') return false;
  const items = list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const last = items[items.length - 1];
  if (last?.type === 'string' && /^[rRuU]?["']CPUExecutionProvider["']$/.test(last.text)) return true;
  // `[p for p in [...] if p in ort.get_available_providers()]`, `set(...) & set(get_available_providers())`...
  for (let n: Node | null = list.parent; n; n = n.parent) {
    if (n.type.endsWith('statement') || n.type === 'block' || n.type === 'module') return n.text.includes('get_available_providers');
  }
  return false;
}

function sameSpan(a: Node, b: Node): boolean {
  return a.startIndex === b.startIndex && a.endIndex === b.endIndex;
}

import type { TreeSitter } from '../../parse/loader';
import type { FixContext } from './context';
import { argumentParts, callName, portable, replaceCall, stringValue } from './nodes';
import type { Rewrite } from './rewrite';

type Node = TreeSitter.Node;

/**
 * Evidence that a file addresses more than one device: an index other than 0, or a variable index, before or after
 * Porta's rewrites (`"cuda:1"`, `f"cuda:{rank}"`, `"cuda:%d" % i`, `torch.device("cuda", rank)`, `.cuda(rank)`,
 * `set_device(local_rank)`, `device_ids=[rank]`, and the ported `f"{DEVICE.type}:{rank}"`, `torch.device(DEVICE.type, rank)`).
 * The ported forms count too, so that fixing a fixed file changes nothing.
 */
const MULTI_DEVICE = new RegExp([
  String.raw`cuda:(?!0(?!\d))`,
  String.raw`\.type\}:(?!0(?!\d))`,
  String.raw`\bdevice\(\s*(?:["']cuda["']|[\w.]+\.type)\s*,(?!\s*0\s*\))`,
  String.raw`\.cuda\((?!\s*(?:device\s*=\s*)?(?:\)|0\s*[,)]|None\b|non_blocking|memory_format))`,
  String.raw`set_device(?:_index)?\((?!\s*0\s*\))`,
  String.raw`["']set_device["'],(?!\s*0\s*\))`,
  String.raw`device_ids\s*=\s*\[(?!\s*0\s*\])`,
  String.raw`_porta_device_for(?:_\d+)?\(`,
].join('|'));

const single = new WeakMap<FixContext, boolean>();

/** True when the file only ever uses device index 0: single-device code, where `cuda:0` just means "the device". */
export function singleDevice(ctx: FixContext): boolean {
  let answer = single.get(ctx);
  if (answer === undefined) single.set(ctx, (answer = !MULTI_DEVICE.test(ctx.text)));
  return answer;
}

/** Inside `X if torch.cuda.is_available() else Y`: the idiom picks the CPU itself; only its own (unsafe) rewrite applies. */
export function insideCudaIdiom(node: Node): boolean {
  let current: Node | null = node;
  for (let depth = 0; current && depth < 4; depth++, current = current.parent) {
    const parent: Node | null = current.parent;
    if (parent?.type === 'conditional_expression') {
      const condition = parent.namedChildren.filter((c) => c && c.type !== 'comment')[1];
      return condition?.id !== current.id && /\bcuda\.is_available\(\)/.test(condition?.text ?? '');
    }
    if (parent?.type !== 'argument_list' && parent?.type !== 'call' && parent?.type !== 'parenthesized_expression') return false;
  }
  return false;
}

/** Whether `torch.device(...)` names the device itself: `"cuda"`, or in single-device code `"cuda:0"` / `"cuda", 0`. */
export function isWholeDeviceCall(call: Node, ctx: FixContext): boolean {
  if (!portable(ctx) || callName(call, ctx).qn !== 'torch.device' || insideCudaIdiom(call)) return false;
  const { positional, keywords } = argumentParts(call);
  if (keywords.size > 0 || positional.length === 0 || positional.length > 2) return false;
  const value = stringValue(positional[0]!);
  if (positional.length === 2) return value === 'cuda' && positional[1]!.text === '0' && singleDevice(ctx);
  return value === 'cuda' || (value === 'cuda:0' && singleDevice(ctx));
}

/** `torch.device("cuda")`, and `torch.device("cuda:0")` / `torch.device("cuda", 0)` in single-device code -> `DEVICE`. */
export function rewriteWholeDeviceCall(call: Node, ctx: FixContext): Rewrite | undefined {
  if (!isWholeDeviceCall(call, ctx)) return undefined;
  return { title: `Use the chosen device instead of ${call.text}`, safe: true, edits: [replaceCall(call, ctx.device)], needs: ['device'] };
}

function isDeviceLiteral(node: Node | undefined, ctx: FixContext, values: RegExp): boolean {
  if (!node) return false;
  const value = stringValue(node);
  if (value !== undefined) return values.test(value);
  if (node.type !== 'call' || callName(node, ctx).qn !== 'torch.device') return false;
  const { positional, keywords } = argumentParts(node);
  return keywords.size === 0 && positional.length === 1 && values.test(stringValue(positional[0]!) ?? '');
}

/**
 * `"cuda" if torch.cuda.is_available() else "cpu"` (also with torch.device on both sides, or inside torch.device)
 * -> `DEVICE.type` / `DEVICE`. Unsafe: on XPU, MPS and NPU the program now uses the accelerator instead of the CPU.
 * The explicit CPU target keeps the idiom (it already picks the CPU there).
 */
export function rewriteDeviceIdiom(conditional: Node, ctx: FixContext): Rewrite | undefined {
  if (!portable(ctx) || ctx.options.target === 'cpu') return undefined;
  const [consequence, condition, alternative] = conditional.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (condition?.type !== 'call' || callName(condition, ctx).qn !== 'torch.cuda.is_available' || condition.childForFieldName('arguments')?.namedChildCount) return undefined;
  if (!isDeviceLiteral(consequence, ctx, /^cuda(?::0)?$/) || !isDeviceLiteral(alternative, ctx, /^cpu$/)) return undefined;
  let site: Node = conditional;
  while (site.parent?.type === 'parenthesized_expression') site = site.parent;
  const holder = site.parent?.type === 'argument_list' ? site.parent.parent : null;
  const title = 'Use the device Porta picks (any accelerator, else the CPU) instead of CUDA-or-CPU';
  if (holder?.type === 'call' && callName(holder, ctx).qn === 'torch.device' && argumentParts(holder).positional.length === 1 && argumentParts(holder).keywords.size === 0) {
    return { title, safe: false, edits: [replaceCall(holder, ctx.device)], needs: ['device'] };
  }
  const text = consequence!.type === 'string' ? `${ctx.device}.type` : ctx.device;
  return { title, safe: false, edits: [replaceCall(site, text)], needs: ['device'] };
}

/** `NAME = VALUE` as the only statement of a block (no comment there either: replacing the block must lose nothing). */
function soleAssignment(block: Node | null): { target: string; value: Node } | undefined {
  const statements = block?.namedChildren ?? [];
  if (statements.length !== 1 || statements[0]?.type !== 'expression_statement') return undefined;
  const assignment = statements[0].namedChildren.length === 1 ? statements[0].namedChild(0) : null;
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('type')) return undefined;
  const left = assignment.childForFieldName('left');
  const value = assignment.childForFieldName('right');
  return left?.type === 'identifier' && value ? { target: left.text, value } : undefined;
}

/**
 * The statement form of the idiom -> `device = DEVICE` (`DEVICE.type` when it assigned strings):
 *     if torch.cuda.is_available():
 *         device = torch.device("cuda")     # or "cuda", "cuda:0"
 *     else:
 *         device = torch.device("cpu")      # or "cpu"
 * Unsafe, as the expression form. Only the exact shape: one assignment to the same name on each side, no elif, no
 * comments inside (they would be lost).
 */
export function rewriteDeviceIfElse(statement: Node, ctx: FixContext): Rewrite | undefined {
  if (statement.type !== 'if_statement' || !portable(ctx) || ctx.options.target === 'cpu') return undefined;
  const condition = statement.childForFieldName('condition');
  if (condition?.type !== 'call' || callName(condition, ctx).qn !== 'torch.cuda.is_available' || condition.childForFieldName('arguments')?.namedChildCount) return undefined;
  const alternatives = statement.childrenForFieldName('alternative');
  if (alternatives.length !== 1 || alternatives[0]?.type !== 'else_clause' || statement.descendantsOfType('comment').length > 0) return undefined;
  const chosen = soleAssignment(statement.childForFieldName('consequence'));
  const fallback = soleAssignment(alternatives[0].childForFieldName('body'));
  if (!chosen || !fallback || chosen.target !== fallback.target) return undefined;
  if (!isDeviceLiteral(chosen.value, ctx, /^cuda(?::0)?$/) || !isDeviceLiteral(fallback.value, ctx, /^cpu$/)) return undefined;
  const value = chosen.value.type === 'string' ? `${ctx.device}.type` : ctx.device;
  return {
    title: 'Use the device Porta picks (any accelerator, else the CPU) instead of CUDA-or-CPU',
    safe: false,
    edits: [{ start: statement.startIndex, end: statement.endIndex, text: `${chosen.target} = ${value}` }],
    needs: ['device'],
  };
}

import type { TreeSitter } from '../../parse/loader';
import type { TextEdit } from '../../model';
import type { FixContext } from './context';
import { qualifiedName } from './imports';
import type { SupportId } from './support';

type Node = TreeSitter.Node;

/** Small syntax helpers the rewrites share: call names and arguments, string literals, the device the fix targets. */

/** Whether device code needs rewriting at all: CUDA and ROCm builds understand "cuda" already. */
export function portable(ctx: FixContext): boolean {
  return ctx.options.target !== 'cuda' && ctx.options.target !== 'rocm';
}

/** `DEVICE.type`, or the literal "cuda" for the CUDA/ROCm targets. */
export function deviceType(ctx: FixContext): { text: string; needs: SupportId[] } {
  return portable(ctx) ? { text: `${ctx.device}.type`, needs: ['device'] } : { text: '"cuda"', needs: [] };
}

export function torchNeeds(ctx: FixContext): SupportId[] {
  return ctx.present.has('import-torch') ? [] : ['import-torch'];
}

/** The value of a plain (non-f) string literal, or undefined. */
export function stringValue(node: Node): string | undefined {
  if (node.type !== 'string') return undefined;
  const start = node.namedChildren.find((c) => c?.type === 'string_start')?.text ?? '';
  if (/[fFbB]/.test(start)) return undefined;
  if (node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return node.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
}

export function quoteOf(node: Node): string {
  const start = node.namedChildren.find((c) => c?.type === 'string_start')?.text ?? '"';
  return start.replace(/^[a-zA-Z]*/, '') || '"';
}

const callNames = new WeakMap<FixContext, Map<number, { qn?: string; method?: string }>>();

/** The called name, qualified through the imports, and the last dotted part (cached: several rewrites ask per call). */
export function callName(call: Node, ctx: FixContext): { qn?: string; method?: string } {
  let byNode = callNames.get(ctx);
  if (!byNode) callNames.set(ctx, (byNode = new Map()));
  let name = byNode.get(call.id);
  if (!name) {
    const fn = call.childForFieldName('function');
    const qn = fn ? qualifiedName(fn, ctx.imports) : undefined;
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.type === 'identifier' ? fn.text : undefined;
    byNode.set(call.id, (name = { qn, method }));
  }
  return name;
}

export function positionalIndex(argList: Node, node: Node): number {
  let index = 0;
  for (const child of argList.namedChildren) {
    if (!child || child.type === 'comment') continue;
    if (child.id === node.id) return index;
    if (child.type !== 'keyword_argument') index++;
  }
  return -1;
}

export function argumentParts(call: Node): { positional: Node[]; keywords: Map<string, Node> } {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!arg || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument') keywords.set(arg.childForFieldName('name')!.text, arg.childForFieldName('value')!);
    else positional.push(arg);
  }
  return { positional, keywords };
}

export function replaceCall(call: Node, text: string): TextEdit {
  return { start: call.startIndex, end: call.endIndex, text };
}

import type { TreeSitter } from '../../parse/loader';
import type { FixContext } from './context';
import { qualifiedName } from './imports';
import { callName } from './nodes';
import type { Rewrite } from './rewrite';

type Node = TreeSitter.Node;

/**
 * `torch.cuda.manual_seed(s)` beside `torch.manual_seed(s)` is redundant once ported: torch.manual_seed seeds the CPU
 * and every device. Porting it to a second identical `torch.manual_seed(s)` would reseed, so the statement goes instead
 * (with an `if torch.cuda.is_available():` / `if n_gpu > 0:` around it that holds nothing else). Safe: on CUDA
 * `torch.manual_seed(s)` already seeded every CUDA device with the same seed, and nothing ran in between but seeding.
 */

const CUDA_SEEDS = new Set(['torch.cuda.manual_seed', 'torch.cuda.manual_seed_all']);
/** A condition that only asks (no call with effects): `torch.cuda.is_available()`, `n_gpu > 0`, `args.cuda`. */
const PURE_CONDITION = /^(?:[\w.]+(?:\(\))?(?:\s*(?:[<>]=?|==|!=)\s*[\w.]+)?|not\s+[\w.]+)$/;

/** The call of a statement that is exactly one call (`f(x)` on its own). */
function statementCall(stmt: Node | null): Node | undefined {
  if (stmt?.type !== 'expression_statement' || stmt.namedChildCount !== 1) return undefined;
  const call = stmt.namedChild(0);
  return call?.type === 'call' ? call : undefined;
}

function seedName(stmt: Node | null, ctx: FixContext): string | undefined {
  const call = statementCall(stmt);
  const fn = call?.childForFieldName('function');
  if (!fn) return undefined;
  const name = qualifiedName(fn, ctx.imports) ?? fn.text;
  return /(?:^|\.)(?:manual_)?seed(?:_all)?$/.test(name) ? name : undefined;
}

function statements(block: Node): Node[] {
  return block.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
}

/** Whether `torch.manual_seed(<args>)` is among the seeding statements right around `unit` in its block. */
function seededBeside(unit: Node, args: string, ctx: FixContext): boolean {
  const siblings = unit.parent ? statements(unit.parent) : [];
  const at = siblings.findIndex((s) => s.id === unit.id);
  for (const step of [-1, 1]) {
    for (let i = at + step; i >= 0 && i < siblings.length; i += step) {
      const name = seedName(siblings[i]!, ctx);
      if (!name) break;
      if (name === 'torch.manual_seed' && statementCall(siblings[i]!)!.childForFieldName('arguments')!.text === args) return true;
    }
  }
  return false;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function dropRedundantCudaSeed(call: Node, ctx: FixContext): Rewrite | undefined {
  if (!CUDA_SEEDS.has(callName(call, ctx).qn ?? '')) return undefined;
  const stmt = call.parent;
  if (statementCall(stmt)?.id !== call.id) return undefined;
  let unit: Node = stmt!;
  const block = unit.parent;
  const owner = block?.type === 'block' ? block.parent : null;
  // Only seeding inside `if <pure condition>:` with no else: the whole if goes.
  if (owner?.type === 'if_statement' && owner.childForFieldName('consequence')?.id === block!.id && owner.childrenForFieldName('alternative').length === 0 &&
    statements(block!).every((s) => CUDA_SEEDS.has(seedName(s, ctx) ?? '')) && PURE_CONDITION.test(owner.childForFieldName('condition')?.text ?? '') &&
    owner.descendantsOfType('comment').length === 0) {
    unit = owner;
  } else if (block && statements(block).length === 1) {
    return undefined; // the block would be left empty
  }
  const args = call.childForFieldName('arguments')!.text;
  if (!seededBeside(unit, args, ctx)) return undefined;
  const start = lineStart(ctx.text, unit.startIndex);
  if (ctx.text.slice(start, unit.startIndex).trim() !== '') return undefined; // not alone on its line
  const newline = ctx.text.indexOf('\n', unit.endIndex);
  const rest = ctx.text.slice(unit.endIndex, newline === -1 ? ctx.text.length : newline).trim();
  if (rest !== '' && !rest.startsWith('#')) return undefined;
  const end = newline === -1 ? ctx.text.length : newline + 1;
  // A comment after the statement stays, on its own line.
  const kept = rest ? `${ctx.text.slice(start, unit.startIndex)}${rest}${newline === -1 ? '' : '\n'}` : '';
  return {
    title: `Drop ${call.text}: torch.manual_seed${args} beside it already seeds every device`,
    safe: true,
    edits: [{ start, end, text: kept }],
    needs: [],
    keepsInGuard: true,
  };
}

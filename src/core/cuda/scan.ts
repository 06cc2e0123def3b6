/**
 * Finds every CUDA reference in a parsed file. A token pass proposes candidates (identifiers that are keys of the
 * mapping table, `#include` directives); the syntax tree then decides what each one is: an identifier or type in
 * code, a token in a macro body, a comment or a string (never rewritten), or code inside a parse error.
 */
import type { TreeSitter } from '../parse/loader';
import type { OffsetRange } from '../parse/incremental';
import { callArguments, classifyOffset, type Span } from './lex';
import { cudaMap, type CudaMap, type MapEntry } from './map';

export type ReferenceContext = 'code' | 'macro' | 'include';

export interface CudaReference {
  /** The CUDA spelling as written (a header path for includes, `at::cuda` for qualified namespaces). */
  name: string;
  entry: MapEntry;
  /** Span of the token (for includes: the path between the delimiters). */
  start: number;
  end: number;
  context: ReferenceContext;
  /** Inside an ERROR region of the parse: plain renames stay certain, structural rewrites do not. */
  inError: boolean;
  /** Argument spans when the reference is called, in file offsets; undefined when not a call or not certain (the lexical
   * path fills them only where the rewrite reads them: takesArguments). */
  args?: Span[];
}

const TOKEN = /[A-Za-z_][A-Za-z0-9_]*/g;
const INCLUDE = /#[ \t]*include\b/g;
const CODE_NODES = new Set(['identifier', 'type_identifier', 'namespace_identifier', 'statement_identifier', 'asm']);

/** Every token match of `pattern` that starts inside [range.start, range.end) (the whole text without a range). */
function* matchesIn(text: string, pattern: RegExp, range?: OffsetRange): Generator<RegExpExecArray> {
  const re = new RegExp(pattern.source, 'g');
  re.lastIndex = range?.start ?? 0;
  const end = range?.end ?? text.length;
  for (let m = re.exec(text); m && m.index < end; m = re.exec(text)) yield m;
}

/** References in the file, or only those starting inside `range` (a top-level declaration, for incremental analysis). */
export function scanReferences(tree: TreeSitter.Tree, text: string, range?: OffsetRange, map: CudaMap = cudaMap()): CudaReference[] {
  const root = tree.rootNode;
  const hasError = root.hasError;
  const refs: CudaReference[] = [];

  for (const match of matchesIn(text, TOKEN, range)) {
    const name = match[0];
    const entry = map.names.get(name);
    const qualified = entry ? undefined : map.qualifiedNamespaces.get(name);
    if (!entry && !qualified) continue;
    const start = match.index;
    const end = start + name.length;
    const node = root.descendantForIndex(start, end);
    if (!node) continue;
    if (node.type === 'preproc_arg') {
      if (!entry || !isMacroBody(node)) continue;
      const bodyStart = node.startIndex;
      if (classifyOffset(node.text, start - bodyStart) !== 'code') continue;
      const args = callArguments(node.text, end - bodyStart);
      refs.push({ name, entry, start, end, context: 'macro', inError: hasError && insideError(node), args: args && shift(args, bodyStart) });
      continue;
    }
    if (node.startIndex !== start || node.endIndex !== end || !CODE_NODES.has(node.type)) continue;
    const resolved = entry ?? resolveQualified(node, qualified ?? []);
    if (!resolved) continue;
    if (resolved.kind === 'namespace' && node.type !== 'namespace_identifier') continue;
    const error = hasError ? outermostError(node) : undefined;
    // In unparsed code the grammar may have missed an unterminated comment or literal: ask the lexer.
    if (error && (classifyOffset(error.text, start - error.startIndex) !== 'code' || onTextDirectiveLine(text, start))) continue;
    refs.push({ name: resolved.cuda, entry: resolved, start, end, context: 'code', inError: error !== undefined, args: callArgumentsOf(node) });
  }

  for (const match of matchesIn(text, INCLUDE, range)) {
    const node = root.descendantForIndex(match.index, match.index + 1)?.parent;
    if (!node || node.type !== 'preproc_include' || node.startIndex !== match.index || !startsLogicalLine(text, match.index)) continue;
    const pathNode = node.childForFieldName('path');
    if (!pathNode || pathNode.endIndex - pathNode.startIndex < 3) continue;
    const start = pathNode.startIndex + 1;
    const end = pathNode.endIndex - 1;
    const header = text.slice(start, end);
    const entry = map.headers.get(header);
    if (entry) refs.push({ name: header, entry, start, end, context: 'include', inError: hasError && insideError(node) });
  }
  return refs.sort((a, b) => a.start - b.start);
}

const CODE_DIRECTIVES = new Set(['define', 'if', 'elif', 'ifdef', 'ifndef', 'elifdef', 'elifndef']);

/**
 * Whether `offset` is on a preprocessor line whose rest is free text (#error, #pragma, an unknown directive), as the
 * lexer reads it. Used inside unparsed code, where the grammar's error recovery may take such a line for code, and
 * may do so only after an unrelated rename (a rewrite that a second run would extend: not idempotent).
 */
/**
 * Whether only blanks come before `offset` on its logical line: a line that ends in a backslash goes on in the next,
 * so in `int q; \\` + `#include <x>` the `#include` is no directive (the grammar makes it one; the lexer does not).
 */
function startsLogicalLine(text: string, offset: number): boolean {
  let i = offset - 1;
  for (;;) {
    while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
    if (i < 0) return true;
    if (text[i] !== '\n') return false;
    let j = i - 1;
    if (text[j] === '\r') j--;
    if (text[j] !== '\\') return true;
    i = j - 1;
  }
}

function onTextDirectiveLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const directive = /^[ \t]*#[ \t]*(\w*)/.exec(text.slice(lineStart, offset));
  return directive !== null && !CODE_DIRECTIVES.has(directive[1]!);
}

/**
 * Only #define bodies are code; #error/#pragma/#warning arguments are free text. A block comment inside a macro
 * body makes the grammar give up on the directive (an ERROR node that starts with `#define`): still a macro body.
 */
function isMacroBody(node: TreeSitter.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === 'preproc_def' || parent.type === 'preproc_function_def') return true;
  return parent.type === 'ERROR' && parent.firstChild?.type === '#define';
}

function outermostError(node: TreeSitter.Node): TreeSitter.Node | undefined {
  let found: TreeSitter.Node | undefined;
  for (let current: TreeSitter.Node | null = node; current; current = current.parent) {
    if (current.type === 'ERROR') found = current;
  }
  return found;
}

function insideError(node: TreeSitter.Node): boolean {
  for (let current: TreeSitter.Node | null = node; current; current = current.parent) {
    if (current.type === 'ERROR' || current.isMissing) return true;
  }
  return false;
}

/** `at::cuda::x`: the tree nests qualified_identifier(scope: at, name: qualified_identifier(scope: cuda, ...)). */
function resolveQualified(node: TreeSitter.Node, candidates: MapEntry[]): MapEntry | undefined {
  if (node.type !== 'namespace_identifier' || candidates.length === 0) return undefined;
  const inner = node.parent;
  const outer = inner?.parent;
  if (!inner || !outer || inner.type !== 'qualified_identifier' || outer.type !== 'qualified_identifier') return undefined;
  const scope = outer.childForFieldName('scope');
  if (!scope) return undefined;
  const qualifiedName = `${scope.text}::${node.text}`;
  return candidates.find((candidate) => candidate.cuda === qualifiedName);
}

function callArgumentsOf(node: TreeSitter.Node): Span[] | undefined {
  const call = node.parent;
  if (!call || call.type !== 'call_expression') return undefined;
  const fn = call.childForFieldName('function');
  if (!fn || fn.startIndex !== node.startIndex || fn.endIndex !== node.endIndex) return undefined;
  const list = call.childForFieldName('arguments');
  if (!list || list.hasError) return undefined;
  const spans: Span[] = [];
  for (const child of list.namedChildren) {
    if (child && child.type !== 'comment') spans.push({ start: child.startIndex, end: child.endIndex });
  }
  return spans;
}

function shift(spans: Span[], by: number): Span[] {
  return spans.map((span) => ({ start: span.start + by, end: span.end + by }));
}

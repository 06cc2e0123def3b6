/**
 * The fast path of hipify: one pass of a C/C++ preprocessing-token lexer over the file finds the same references
 * as the tree walk in scan.ts (identifiers in code and #define bodies, #if conditions, include paths; never
 * comments, string/char/raw literals, #error/#pragma text, members after `.`/`->`). It parses nothing, so it is
 * only used when the file is lexically regular: any unterminated comment or literal, unbalanced bracket or
 * #if/#endif makes it return undefined and hipify falls back to the syntax tree.
 */
import { callArguments } from './lex';
import { cudaMap, takesArguments, type CudaMap, type MapEntry } from './map';
import type { CudaReference } from './scan';
import { FNV_OFFSET, FNV_PRIME, nameFilterFor, type NameFilter } from './nameFilter';

const enum C {
  Tab = 9, NL = 10, CR = 13, Space = 32, Bang = 33, Quote = 34, Hash = 35, Apos = 39, LParen = 40, RParen = 41, Star = 42,
  Dot = 46, Slash = 47, D0 = 48, D9 = 57, Colon = 58, Lt = 60, Gt = 62, A = 65, Z = 90, LBracket = 91, Backslash = 92,
  RBracket = 93, Underscore = 95, a = 97, z = 122, LBrace = 123, RBrace = 125, Minus = 45,
}

const UNICODE_IDENT = /[\p{ID_Start}\p{ID_Continue}]/u;

/** Non-ASCII letters count, as in the grammar (C++ accepts Unicode identifiers): `ìCUDAGuard` is one name. */
function isIdentStart(c: number): boolean {
  return (c >= C.a && c <= C.z) || (c >= C.A && c <= C.Z) || c === C.Underscore || c === 36 /* $ */ || (c >= 0x80 && UNICODE_IDENT.test(String.fromCharCode(c)));
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= C.D0 && c <= C.D9);
}

const enum Mode {
  None, // ordinary code
  Code, // an #if/#elif condition: names count, brackets are the directive's own
  Macro, // a #define body: names count, brackets balance within it
  Text, // the rest of #include/#error/#pragma/#else/...: nothing to rename
}

/** The previous significant token, for `.`/`->` member access and `scope ::` qualification. */
const enum Prev {
  Ident,
  Member,
  Scope,
  Other,
}

/** A scan position meaning "not lexically regular": the caller falls back to the syntax tree. */
const IRREGULAR = -1;

/** References found lexically, or undefined when the file is not regular enough to be certain without a parse. */
export function lexReferences(text: string, map: CudaMap = cudaMap()): CudaReference[] | undefined {
  return new LexicalScan(text, map).run();
}

/**
 * One pass over the file. The loop handles the common tokens (blanks, identifiers, newlines) and hands each rarer
 * token to a method that returns the position after it (or IRREGULAR): kept small, the hot loop is cheap for V8 to
 * optimise, and a rare token's first appearance deoptimises only its own method, not the whole scan (a 300-line loop
 * was recompiled seven times per `porta fix` process, most of its CPU time).
 */
class LexicalScan {
  private readonly refs: CudaReference[] = [];
  private readonly brackets: number[] = [];
  private conditionalDepth = 0;
  private mode = Mode.None;
  private atLineStart = true;
  private prev = Prev.Other;
  /** The previous identifier, as offsets: made into a string only for `ns::name` lookups. */
  private prevStart = 0;
  private prevEnd = 0;
  private readonly filter: NameFilter;

  constructor(
    private readonly text: string,
    private readonly map: CudaMap,
  ) {
    this.filter = nameFilterFor(map);
  }

  run(): CudaReference[] | undefined {
    const text = this.text;
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === C.Space || c === C.Tab) i++;
      else if ((c >= C.a && c <= C.z) || (c >= C.A && c <= C.Z) || c === C.Underscore) i = this.identifier(i);
      else if (c === C.NL) i = this.newline(i);
      else i = this.token(c, i);
      if (i === IRREGULAR) return undefined;
    }
    if (this.mode === Mode.Macro && this.brackets.pop() !== -1) return undefined;
    if (this.brackets.length > 0 || this.conditionalDepth !== 0) return undefined;
    return this.refs;
  }

  private newline(i: number): number {
    if (this.mode === Mode.Macro && this.brackets.pop() !== -1) return IRREGULAR; // a macro body must balance its brackets
    this.mode = Mode.None;
    this.atLineStart = true;
    return i + 1;
  }

  /** Every token but blanks, ASCII identifiers and newlines, in the order the cases must be tried. */
  private token(c: number, i: number): number {
    const text = this.text;
    if (c === C.CR || c === 12 || c === 11) return i + 1;
    if (c === C.Backslash && (text.charCodeAt(i + 1) === C.NL || (text.charCodeAt(i + 1) === C.CR && text.charCodeAt(i + 2) === C.NL))) {
      return i + (text.charCodeAt(i + 1) === C.NL ? 2 : 3); // line continuation: the directive goes on
    }
    if (c === C.Slash && text.charCodeAt(i + 1) === C.Slash) return this.lineComment(i);
    if (c === C.Slash && text.charCodeAt(i + 1) === C.Star) return this.blockComment(i);
    if (c === C.Hash && this.atLineStart && this.mode === Mode.None) return this.directive(i);
    this.atLineStart = false;
    if (c === C.Quote || c === C.Apos) {
      this.prev = Prev.Other;
      return skipQuoted(text, i);
    }
    if ((c >= C.D0 && c <= C.D9) || (c === C.Dot && isDigit(text.charCodeAt(i + 1)))) {
      this.prev = Prev.Other;
      return skipNumber(text, i);
    }
    if (isIdentStart(c)) return this.identifier(i); // a non-ASCII letter
    return this.punctuation(c, i);
  }

  private punctuation(c: number, i: number): number {
    if (c === C.Dot || (c === C.Minus && this.text.charCodeAt(i + 1) === C.Gt)) {
      this.prev = Prev.Member;
      return i + (c === C.Dot ? 1 : 2);
    }
    if (c === C.Colon && this.text.charCodeAt(i + 1) === C.Colon) {
      if (this.prev !== Prev.Ident) this.prevStart = this.prevEnd = 0;
      this.prev = Prev.Scope;
      return i + 2;
    }
    this.prev = Prev.Other;
    if (this.mode === Mode.Code) return i + 1; // #if expressions: brackets are checked by the directive line itself
    if (c === C.LParen || c === C.LBracket || c === C.LBrace) this.brackets.push(c);
    else if (c === C.RParen || c === C.RBracket || c === C.RBrace) {
      const open = this.brackets.pop();
      if (open === undefined || open === -1 || open !== (c === C.RParen ? C.LParen : c === C.RBracket ? C.LBracket : C.LBrace)) return IRREGULAR;
    }
    return i + 1;
  }

  private identifier(i: number): number {
    const text = this.text;
    const n = text.length;
    this.atLineStart = false;
    let hash = Math.imul(FNV_OFFSET ^ text.charCodeAt(i), FNV_PRIME);
    let e = i + 1;
    for (; e < n; e++) {
      const c = text.charCodeAt(e);
      if (!isIdentPart(c)) break;
      hash = Math.imul(hash ^ c, FNV_PRIME);
    }
    const next = text.charCodeAt(e);
    if (next === C.Quote || next === C.Apos) {
      const literalEnd = this.prefixedLiteral(i, e, next);
      if (literalEnd !== undefined) {
        this.prev = Prev.Other;
        return literalEnd;
      }
    }
    if (this.mode !== Mode.Text && this.filter.mayContain(hash)) {
      const name = text.slice(i, e);
      const entry = this.map.names.get(name);
      // `at::cuda::`: a qualified namespace only counts after `::` (candidate() checks the rest).
      const qualified = entry === undefined && this.prev === Prev.Scope ? this.map.qualifiedNamespaces.get(name) : undefined;
      if (entry || qualified) {
        const prevIdent = text.slice(this.prevStart, this.prevEnd);
        const ref = candidate(text, name, i, e, this.mode === Mode.Macro ? 'macro' : 'code', this.prev, prevIdent, entry, qualified);
        if (ref) this.refs.push(ref);
      }
    }
    this.prevStart = i;
    this.prevEnd = e;
    this.prev = Prev.Ident;
    return e;
  }

  /** Raw strings and encoding prefixes (R"d(...)d", u8"...", L'x'): the end of the literal, or undefined for a name. */
  private prefixedLiteral(i: number, e: number, quote: number): number | undefined {
    const text = this.text;
    const prefix = text.slice(i, e);
    if (quote === C.Quote && /^(R|LR|uR|UR|u8R)$/.test(prefix)) {
      const open = text.indexOf('(', e + 1);
      if (open < 0) return IRREGULAR;
      const close = text.indexOf(`)${text.slice(e + 1, open)}"`, open);
      if (close < 0) return IRREGULAR;
      return close + open - e + 1;
    }
    if (/^(L|u|U|u8)$/.test(prefix)) return skipQuoted(text, e);
    return undefined;
  }

  /**
   * A // comment ends at the newline unless that newline is escaped: then the next line is comment too (lines are
   * spliced before comments are recognised; the grammar's comment token agrees). An escaped CRLF goes to the tree:
   * the grammar continues such a comment in code but ends it inside a #define.
   */
  private lineComment(i: number): number {
    const text = this.text;
    const n = text.length;
    i += 2;
    while (i < n && text.charCodeAt(i) !== C.NL) {
      if (text.charCodeAt(i) === C.Backslash && text.charCodeAt(i + 1) === C.CR && text.charCodeAt(i + 2) === C.NL) return IRREGULAR;
      i += text.charCodeAt(i) === C.Backslash && text.charCodeAt(i + 1) === C.NL ? 2 : 1;
    }
    return i;
  }

  private blockComment(i: number): number {
    const end = this.text.indexOf('*/', i + 2);
    if (end < 0) return IRREGULAR;
    if (this.mode !== Mode.None && this.text.lastIndexOf('\n', end) > i) return IRREGULAR; // a comment spanning lines inside a directive
    return end + 2;
  }

  private directive(i: number): number {
    const text = this.text;
    const n = text.length;
    let j = i + 1;
    while (j < n && (text.charCodeAt(j) === C.Space || text.charCodeAt(j) === C.Tab)) j++;
    let k = j;
    while (k < n && isIdentPart(text.charCodeAt(k))) k++;
    const directive = text.slice(j, k);
    this.atLineStart = false;
    this.prev = Prev.Other;
    i = k;
    if (directive === 'include' || directive === 'include_next') {
      i = this.includePath(i);
      if (i === IRREGULAR) return IRREGULAR;
      this.mode = Mode.Text;
    } else if (directive === 'define') {
      // Skip the macro name and parameter list; the body is code in 'macro' context.
      while (i < n && (text.charCodeAt(i) === C.Space || text.charCodeAt(i) === C.Tab)) i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === C.LParen) {
        const close = text.indexOf(')', i);
        if (close < 0 || text.lastIndexOf('\n', close) > i) return IRREGULAR;
        i = close + 1;
      }
      this.mode = Mode.Macro;
      this.brackets.push(-1); // macro bodies balance on their own
    } else if (directive === 'if' || directive === 'ifdef' || directive === 'ifndef') {
      this.conditionalDepth++;
      this.mode = Mode.Code;
    } else if (directive === 'elif' || directive === 'elifdef' || directive === 'elifndef') {
      if (this.conditionalDepth === 0) return IRREGULAR;
      this.mode = Mode.Code;
    } else if (directive === 'else') {
      if (this.conditionalDepth === 0) return IRREGULAR;
      this.mode = Mode.Text;
    } else if (directive === 'endif') {
      if (this.conditionalDepth === 0) return IRREGULAR;
      this.conditionalDepth--;
      this.mode = Mode.Text;
    } else {
      this.mode = Mode.Text; // #error, #warning, #pragma, #line, #undef: free text or nothing to rename
    }
    if (this.mode !== Mode.Text) return i;
    const eol = endOfLogicalLine(text, i);
    const rest = text.slice(i, eol);
    const open = rest.lastIndexOf('/*');
    if (open >= 0 && rest.indexOf('*/', open) < 0) return IRREGULAR; // a block comment running past the directive
    return eol;
  }

  /** `<path>` or `"path"` after #include: a reference when the map knows the header; the position after it. */
  private includePath(i: number): number {
    const text = this.text;
    const n = text.length;
    while (i < n && (text.charCodeAt(i) === C.Space || text.charCodeAt(i) === C.Tab)) i++;
    const open = text.charCodeAt(i);
    const close = open === C.Lt ? C.Gt : open === C.Quote ? C.Quote : -1;
    if (close < 0) return IRREGULAR;
    let e = i + 1;
    while (e < n && text.charCodeAt(e) !== close && text.charCodeAt(e) !== C.NL) e++;
    if (text.charCodeAt(e) !== close) return IRREGULAR;
    const header = text.slice(i + 1, e);
    const entry = this.map.headers.get(header);
    if (entry) this.refs.push({ name: header, entry, start: i + 1, end: e, context: 'include', inError: false });
    return e + 1;
  }
}

function endOfLogicalLine(text: string, i: number): number {
  for (;;) {
    const eol = text.indexOf('\n', i);
    if (eol < 0) return text.length;
    if (text.charCodeAt(eol - 1) !== C.Backslash && !(text.charCodeAt(eol - 1) === C.CR && text.charCodeAt(eol - 2) === C.Backslash)) return eol;
    i = eol + 1;
  }
}

function isDigit(c: number): boolean {
  return c >= C.D0 && c <= C.D9;
}

/** pp-number: digits, letters, dots, digit separators and exponent signs. */
function skipNumber(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (isIdentPart(c) || c === C.Dot) j++;
    else if (c === C.Apos && isIdentPart(text.charCodeAt(j + 1))) j += 2;
    else if ((c === 43 || c === C.Minus) && /[eEpP]/.test(text[j - 1])) j++;
    else break;
  }
  return j;
}

/** Index after the closing quote, or -1 when the literal runs into a newline or the end. */
function skipQuoted(text: string, i: number): number {
  const quote = text.charCodeAt(i);
  let j = i + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === C.Backslash) j += 2;
    else if (c === quote) return j + 1;
    else if (c === C.NL) return -1;
    else j++;
  }
  return -1;
}

function nextSignificant(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === C.Space || c === C.Tab || c === C.CR || c === C.NL) i++;
    else if (c === C.Backslash && text.charCodeAt(i + 1) === C.NL) i += 2;
    else return i;
  }
  return i;
}

function candidate(
  text: string,
  name: string,
  start: number,
  end: number,
  context: 'code' | 'macro',
  prevKind: Prev,
  prevIdent: string,
  entry: MapEntry | undefined,
  qualified: MapEntry[] | undefined,
): CudaReference | undefined {
  if (!entry && !qualified) return undefined;
  if (prevKind === Prev.Member) return undefined; // obj.cudaX / obj->cudaX: a member, not the API
  const after = nextSignificant(text, end);
  const scopeFollows = text.charCodeAt(after) === C.Colon && text.charCodeAt(after + 1) === C.Colon;
  let resolved = entry;
  if (context === 'code') {
    if (!resolved) {
      // `at::cuda::` — the namespace must be qualified by the expected scope and itself qualify something.
      if (prevKind !== Prev.Scope || !scopeFollows) return undefined;
      resolved = qualified?.find((q) => q.cuda === `${prevIdent}::${name}`);
      if (!resolved) return undefined;
    } else if (resolved.kind === 'namespace' && !scopeFollows) return undefined;
    if (resolved.kind === 'ptx') {
      const follower = text.slice(after, after + 12);
      if (!/^(\(|volatile|__volatile__|goto|inline)/.test(follower)) return undefined;
    }
  } else if (!resolved) return undefined;
  // Only the structural rewrites read the arguments (mask dropped, HIP_SYMBOL added): other calls skip the scan.
  const args = text.charCodeAt(after) === C.LParen && takesArguments(resolved.cuda) ? callArguments(text, end) : undefined;
  return { name: resolved.cuda, entry: resolved, start, end, context, inError: false, args };
}

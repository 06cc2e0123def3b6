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

type DirectiveMode = 'none' | 'code' | 'macro' | 'text';

/** References found lexically, or undefined when the file is not regular enough to be certain without a parse. */
export function lexReferences(text: string, map: CudaMap = cudaMap()): CudaReference[] | undefined {
  const refs: CudaReference[] = [];
  const n = text.length;
  const brackets: number[] = [];
  let conditionalDepth = 0;
  let mode: DirectiveMode = 'none';
  let atLineStart = true;
  // The two previous significant tokens, for `.`/`->` member access and `scope ::` qualification.
  let prevKind: 'ident' | 'member' | 'scope' | 'other' = 'other';
  let prevIdent = '';
  let i = 0;

  const endDirective = () => {
    mode = 'none';
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === C.NL) {
      if (mode === 'macro' && brackets.pop() !== -1) return undefined; // a macro body must balance its brackets
      if (mode !== 'none') endDirective();
      atLineStart = true;
      i++;
      continue;
    }
    if (c === C.Space || c === C.Tab || c === C.CR || c === 12 || c === 11) {
      i++;
      continue;
    }
    if (c === C.Backslash && (text.charCodeAt(i + 1) === C.NL || (text.charCodeAt(i + 1) === C.CR && text.charCodeAt(i + 2) === C.NL))) {
      i += text.charCodeAt(i + 1) === C.NL ? 2 : 3; // line continuation: the directive goes on
      continue;
    }
    if (c === C.Slash && text.charCodeAt(i + 1) === C.Slash) {
      // A // comment ends at the newline unless that newline is escaped: then the next line is comment too (lines
      // are spliced before comments are recognised; the grammar's comment token agrees). An escaped CRLF goes to the
      // tree: the grammar continues such a comment in code but ends it inside a #define.
      i += 2;
      while (i < n && text.charCodeAt(i) !== C.NL) {
        if (text.charCodeAt(i) === C.Backslash && text.charCodeAt(i + 1) === C.CR && text.charCodeAt(i + 2) === C.NL) return undefined;
        i += text.charCodeAt(i) === C.Backslash && text.charCodeAt(i + 1) === C.NL ? 2 : 1;
      }
      continue;
    }
    if (c === C.Slash && text.charCodeAt(i + 1) === C.Star) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      if (mode !== 'none' && text.lastIndexOf('\n', end) > i) return undefined; // a comment spanning lines inside a directive
      i = end + 2;
      continue;
    }
    if (c === C.Hash && atLineStart && mode === 'none') {
      let j = i + 1;
      while (j < n && (text.charCodeAt(j) === C.Space || text.charCodeAt(j) === C.Tab)) j++;
      let k = j;
      while (k < n && isIdentPart(text.charCodeAt(k))) k++;
      const directive = text.slice(j, k);
      atLineStart = false;
      prevKind = 'other';
      i = k;
      if (directive === 'include' || directive === 'include_next') {
        while (i < n && (text.charCodeAt(i) === C.Space || text.charCodeAt(i) === C.Tab)) i++;
        const open = text.charCodeAt(i);
        const close = open === C.Lt ? C.Gt : open === C.Quote ? C.Quote : -1;
        if (close < 0) return undefined;
        let e = i + 1;
        while (e < n && text.charCodeAt(e) !== close && text.charCodeAt(e) !== C.NL) e++;
        if (text.charCodeAt(e) !== close) return undefined;
        const header = text.slice(i + 1, e);
        const entry = map.headers.get(header);
        if (entry) refs.push({ name: header, entry, start: i + 1, end: e, context: 'include', inError: false });
        i = e + 1;
        mode = 'text';
      } else if (directive === 'define') {
        // Skip the macro name and parameter list; the body is code in 'macro' context.
        while (i < n && (text.charCodeAt(i) === C.Space || text.charCodeAt(i) === C.Tab)) i++;
        while (i < n && isIdentPart(text.charCodeAt(i))) i++;
        if (text.charCodeAt(i) === C.LParen) {
          const close = text.indexOf(')', i);
          if (close < 0 || text.lastIndexOf('\n', close) > i) return undefined;
          i = close + 1;
        }
        mode = 'macro';
        brackets.push(-1); // macro bodies balance on their own
      } else if (directive === 'if' || directive === 'ifdef' || directive === 'ifndef') {
        conditionalDepth++;
        mode = 'code';
      } else if (directive === 'elif' || directive === 'elifdef' || directive === 'elifndef') {
        if (conditionalDepth === 0) return undefined;
        mode = 'code';
      } else if (directive === 'else') {
        if (conditionalDepth === 0) return undefined;
        mode = 'text';
      } else if (directive === 'endif') {
        if (conditionalDepth === 0) return undefined;
        conditionalDepth--;
        mode = 'text';
      } else {
        mode = 'text'; // #error, #warning, #pragma, #line, #undef: free text or nothing to rename
      }
      if (mode === 'text') {
        const eol = endOfLogicalLine(text, i);
        const rest = text.slice(i, eol);
        const open = rest.lastIndexOf('/*');
        if (open >= 0 && rest.indexOf('*/', open) < 0) return undefined; // a block comment running past the directive
        i = eol;
      }
      continue;
    }
    atLineStart = false;
    if (c === C.Quote || c === C.Apos) {
      const end = skipQuoted(text, i);
      if (end < 0) return undefined;
      i = end;
      prevKind = 'other';
      continue;
    }
    if (c >= C.D0 && c <= C.D9 || (c === C.Dot && isDigit(text.charCodeAt(i + 1)))) {
      i = skipNumber(text, i);
      prevKind = 'other';
      continue;
    }
    if (isIdentStart(c)) {
      let e = i + 1;
      while (e < n && isIdentPart(text.charCodeAt(e))) e++;
      const next = text.charCodeAt(e);
      // Raw strings and encoding prefixes: R"d(...)d", u8"...", L'x'.
      if (next === C.Quote || next === C.Apos) {
        const prefix = text.slice(i, e);
        if (/^(R|LR|uR|UR|u8R)$/.test(prefix) && next === C.Quote) {
          const open = text.indexOf('(', e + 1);
          if (open < 0) return undefined;
          const close = text.indexOf(`)${text.slice(e + 1, open)}"`, open);
          if (close < 0) return undefined;
          i = close + open - e + 1;
          prevKind = 'other';
          continue;
        }
        if (/^(L|u|U|u8)$/.test(prefix)) {
          const end = skipQuoted(text, e);
          if (end < 0) return undefined;
          i = end;
          prevKind = 'other';
          continue;
        }
      }
      const name = text.slice(i, e);
      if (mode !== 'text') {
        const ref = candidate(text, name, i, e, mode === 'macro' ? 'macro' : 'code', prevKind, prevIdent, map.names.get(name), map.qualifiedNamespaces.get(name));
        if (ref) refs.push(ref);
      }
      prevIdent = name;
      prevKind = 'ident';
      i = e;
      continue;
    }
    // Punctuation.
    if (c === C.Dot || (c === C.Minus && text.charCodeAt(i + 1) === C.Gt)) {
      prevKind = 'member';
      i += c === C.Dot ? 1 : 2;
      continue;
    }
    if (c === C.Colon && text.charCodeAt(i + 1) === C.Colon) {
      if (prevKind !== 'ident') prevIdent = '';
      prevKind = 'scope';
      i += 2;
      continue;
    }
    if (mode !== 'text' && mode !== 'none' && mode !== 'macro') {
      i++;
      prevKind = 'other';
      continue; // #if expressions: brackets are checked by the directive line itself
    }
    if (c === C.LParen || c === C.LBracket || c === C.LBrace) brackets.push(c);
    else if (c === C.RParen || c === C.RBracket || c === C.RBrace) {
      const open = brackets.pop();
      if (open === undefined || open === -1 || open !== (c === C.RParen ? C.LParen : c === C.RBracket ? C.LBracket : C.LBrace)) return undefined;
    }
    prevKind = 'other';
    i++;
  }
  if (mode === 'macro' && brackets.pop() !== -1) return undefined;
  if (brackets.length > 0 || conditionalDepth !== 0) return undefined;
  return refs;
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
  prevKind: string,
  prevIdent: string,
  entry: MapEntry | undefined,
  qualified: MapEntry[] | undefined,
): CudaReference | undefined {
  if (!entry && !qualified) return undefined;
  if (prevKind === 'member') return undefined; // obj.cudaX / obj->cudaX: a member, not the API
  const after = nextSignificant(text, end);
  const scopeFollows = text.charCodeAt(after) === C.Colon && text.charCodeAt(after + 1) === C.Colon;
  let resolved = entry;
  if (context === 'code') {
    if (!resolved) {
      // `at::cuda::` — the namespace must be qualified by the expected scope and itself qualify something.
      if (prevKind !== 'scope' || !scopeFollows) return undefined;
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

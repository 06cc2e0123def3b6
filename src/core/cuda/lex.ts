/**
 * A small C lexer for the places tree-sitter leaves as raw text: macro bodies (`preproc_arg`).
 * It only answers "is this offset inside a comment or a literal?" and "where are this call's arguments?".
 */

export type TextClass = 'code' | 'string' | 'comment';

/** Classifies `offset` inside `text` (a macro body or an unparsed region), scanning from its start. */
export function classifyOffset(text: string, offset: number): TextClass {
  let i = 0;
  while (i < text.length && i <= offset) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      let stop = text.indexOf('\n', i);
      while (stop > 0 && text[stop - 1] === '\\') stop = text.indexOf('\n', stop + 1);
      if (stop < 0 || offset < stop) return 'comment';
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      if (offset < stop) return 'comment';
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      const stop = skipLiteral(text, i);
      if (offset < stop) return 'string';
      i = stop;
      continue;
    }
    i++;
  }
  return 'code';
}

/** Returns the index just past the literal starting at `start` (a quote), or text.length when unterminated. */
function skipLiteral(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === quote) return i + 1;
    else if (c === '\n') return i;
    else i++;
  }
  return text.length;
}

export interface Span {
  start: number;
  end: number;
}

/**
 * The argument spans of a call whose name ends at `afterName` (whitespace, then `(`), trimmed of blanks,
 * or undefined when the parentheses are not balanced inside `text` (so nothing structural is certain).
 */
export function callArguments(text: string, afterName: number): Span[] | undefined {
  let i = afterName;
  while (i < text.length && /\s/.test(text[i])) i++;
  if (text[i] !== '(') return undefined;
  const spans: Span[] = [];
  let depth = 0;
  let argStart = i + 1;
  for (i = i + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i = skipLiteral(text, i) - 1;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      return undefined;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) {
        if (c !== ')') return undefined;
        pushTrimmed(text, spans, argStart, i);
        return spans;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      pushTrimmed(text, spans, argStart, i);
      argStart = i + 1;
    }
  }
  return undefined;
}

function pushTrimmed(text: string, spans: Span[], start: number, end: number): void {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (end > start || spans.length > 0) spans.push({ start, end });
}

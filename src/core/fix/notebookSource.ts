import type { JsonSpan } from './jsonSpans';

/** A cell source as nbformat writes it: lines that keep their "\n", no empty last line. */
export function toSourceLines(text: string): string[] {
  const lines = text.split('\n').map((line, i, all) => (i < all.length - 1 ? line + '\n' : line));
  return lines.length > 0 && lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines;
}

/** Files written with Python's ensure_ascii (the nbformat default before v4.x) escape every non-ASCII character. */
export function writesAsciiOnly(json: string): boolean {
  return /\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})/.test(json) && !/[\u0080-\uffff]/.test(json);
}

function quote(text: string, asciiOnly: boolean): string {
  const quoted = JSON.stringify(text);
  return asciiOnly ? quoted.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : quoted;
}

/**
 * The new JSON text for a cell's `source` value at `span` in `json`, in the form the file used: a string stays a
 * string; a list of lines keeps the list's own indentation and line breaks.
 */
export function sourceJson(json: string, span: JsonSpan, text: string, indentUnit: string): string {
  const asciiOnly = writesAsciiOnly(json);
  if (span.kind === 'string') return quote(text, asciiOnly);
  const lines = toSourceLines(text);
  if (lines.length === 0) return '[]';
  const items = span.items ?? [];
  let separator: string;
  let closing: string;
  if (items.length > 0) {
    separator = json.slice(span.start + 1, items[0]!.start);
    closing = json.slice(items[items.length - 1]!.end, span.end - 1);
  } else {
    // An empty list had no layout of its own: one level deeper than the line the key is on.
    const lineStart = json.lastIndexOf('\n', span.start) + 1;
    const keyIndent = /^[ \t]*/.exec(json.slice(lineStart))![0];
    const newline = json[lineStart - 2] === '\r' ? '\r\n' : '\n';
    separator = newline + keyIndent + indentUnit;
    closing = newline + keyIndent;
  }
  return `[${separator}${lines.map((line) => quote(line, asciiOnly)).join(`,${separator}`)}${closing}]`;
}

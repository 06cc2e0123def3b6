import type { TextEdit } from '../model';

/** The line ending most of the file's lines use ("\r\n" only when CRLF lines outnumber LF-only ones). */
export function dominantLineEnding(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/**
 * Edits whose inserted line breaks follow the file's own line ending: fixes write "\n", which in a CRLF file would
 * leave LF-only lines. Line breaks already written as "\r\n" (text copied from the file) stay as they are.
 */
export function followLineEndings(edits: TextEdit[], eol: '\n' | '\r\n'): TextEdit[] {
  if (eol === '\n') return edits;
  return edits.map((edit) => ({ ...edit, text: edit.text.replace(/(?<!\r)\n/g, '\r\n') }));
}

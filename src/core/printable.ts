/**
 * Text from files (names, code excerpts, run records) shown in a terminal: control characters would let a file
 * named `\x1b]0;...` retitle the window, clear the screen or hide a finding, and bidi overrides reorder what is read.
 * They are shown as escapes instead. Only for text meant for a terminal: JSON and SARIF keep the exact text.
 */
// C0 controls but tab, DEL, C1 controls, line/paragraph separators and the bidi embedding/override/isolate marks.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

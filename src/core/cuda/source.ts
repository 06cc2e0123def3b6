import { isAscii } from 'node:buffer';
import type { TextEdit } from '../model';

/**
 * Decoding for C++ sources that may not be UTF-8: latin1 round-trips every byte, and hipify only writes ASCII.
 * Pure-ASCII files (nearly all C++) take a byte-copy path both ways: the UTF-8 decoder and encoder cost as much as the
 * rewrite on a large tree, and for ASCII all three encodings agree.
 */

export type SourceEncoding = 'ascii' | 'utf8' | 'latin1';

export function decodeSource(bytes: Uint8Array): { text: string; encoding: SourceEncoding } {
  if (isAscii(bytes)) return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), encoding: 'ascii' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf8' };
  } catch {
    return { text: Buffer.from(bytes).toString('latin1'), encoding: 'latin1' };
  }
}

export function encodeSource(text: string, encoding: SourceEncoding): Uint8Array {
  // An ASCII source stays ASCII under hipify's renames; should an edit ever bring in another character, UTF-8 keeps it.
  if (encoding === 'ascii') return Buffer.from(text, NON_ASCII.test(text) ? 'utf8' : 'latin1');
  return Buffer.from(text, encoding);
}

const NON_ASCII = /[^\p{ASCII}]/u;

/**
 * The bytes of an ASCII source after sorted, non-overlapping edits, copied straight from the original bytes (for ASCII,
 * string offsets are byte offsets): no rewritten string to build, flatten and encode. Undefined when `bytes` is not
 * ASCII or an edit brings in another character; encode the rewritten text then.
 */
export function editBytes(bytes: Uint8Array, edits: readonly TextEdit[]): Uint8Array | undefined {
  if (!isAscii(bytes)) return undefined;
  let size = bytes.length;
  for (let i = 0; i < edits.length; i++) size += edits[i].text.length - (edits[i].end - edits[i].start);
  const out = new Uint8Array(size);
  let from = 0;
  let to = 0;
  // Indexed: run cold over ~10,000 edits per suite, where for...of allocates per element.
  for (let i = 0; i < edits.length; i++) {
    const edit = edits[i];
    out.set(bytes.subarray(from, edit.start), to);
    to += edit.start - from;
    const text = edit.text;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) return undefined; // none of hipify's names has one; the rewritten text is encoded then
      out[to++] = c;
    }
    from = edit.end;
  }
  out.set(bytes.subarray(from), to);
  return out;
}

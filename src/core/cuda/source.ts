import { isAscii } from 'node:buffer';

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

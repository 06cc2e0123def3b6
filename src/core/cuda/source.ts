/** Decoding for C++ sources that may not be UTF-8: latin1 round-trips every byte, and hipify only writes ASCII. */

export type SourceEncoding = 'utf8' | 'latin1';

export function decodeSource(bytes: Uint8Array): { text: string; encoding: SourceEncoding } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf8' };
  } catch {
    return { text: Buffer.from(bytes).toString('latin1'), encoding: 'latin1' };
  }
}

export function encodeSource(text: string, encoding: SourceEncoding): Uint8Array {
  return Buffer.from(text, encoding);
}

import type { FileNote } from '../core/model';
import { readSmallBytes, SmallFileError } from './smallFile';

export type ReadResult = { text: string } | { note: FileNote };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads a file as UTF-8 text; binary, non-UTF-8, too-large and unreadable files become notes instead. */
export async function readSourceFile(displayPath: string, absolute: string, maxSize: number, knownSize?: number): Promise<ReadResult> {
  if (knownSize !== undefined && knownSize > maxSize) return { note: { path: displayPath, kind: 'too-large', message: `Skipped: ${knownSize} bytes is over the ${maxSize}-byte limit (max-file-size)` } };
  let bytes: Buffer;
  try {
    // Regular files only, never past maxSize: the file may have become a FIFO or grown since the walk's stat.
    bytes = await readSmallBytes(absolute, maxSize);
  } catch (error) {
    if (error instanceof SmallFileError && error.code === 'EFBIG') return { note: { path: displayPath, kind: 'too-large', message: `Skipped: over the ${maxSize}-byte limit (max-file-size)` } };
    return { note: { path: displayPath, kind: 'unreadable', message: `Cannot read: ${error instanceof SmallFileError ? error.message : (error as NodeJS.ErrnoException).code ?? String(error)}` } };
  }
  return decodeSource(displayPath, bytes, maxSize);
}

export function decodeSource(displayPath: string, bytes: Uint8Array, maxSize: number): ReadResult {
  const skipped = skipNote(displayPath, bytes, maxSize);
  if (skipped) return { note: skipped };
  try {
    let text = decoder.decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text };
  } catch {
    return { note: { path: displayPath, kind: 'encoding', message: 'Skipped: not valid UTF-8' } };
  }
}

/** Why a file is not read as source at all (too large, binary), before any decoding; undefined when it is. */
export function skipNote(displayPath: string, bytes: Uint8Array, maxSize: number): FileNote | undefined {
  if (bytes.length > maxSize) return { path: displayPath, kind: 'too-large', message: `Skipped: ${bytes.length} bytes is over the ${maxSize}-byte limit (max-file-size)` };
  if (bytes.subarray(0, 8192).includes(0)) return { path: displayPath, kind: 'binary', message: 'Skipped: binary file' };
  return undefined;
}

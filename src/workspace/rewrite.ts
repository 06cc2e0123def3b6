import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fsClockOf, provesUnchanged, type FsClock, type ReadStamp } from './readStamp';

/**
 * Rewrites a file that a fix read earlier, without losing anything: not when the file changed on disk since it was
 * read (an edit saved meanwhile), never half-written (temporary file, fsync, rename), and keeping what the user set
 * up: the inode when other hard links share it, the mode and the owner. A failed write leaves no temporary file.
 */

/** Why a file was left alone on purpose (not an I/O failure). */
export class RewriteRefused extends Error {}

/**
 * Replaces `file`'s content (`file` is the real path, not a link) with `content`, provided it still holds `original`.
 * Throws RewriteRefused when it changed meanwhile, or the fs error (ENOSPC, EACCES, ...) after cleaning up.
 */
export function rewriteFile(file: string, original: Uint8Array, content: Uint8Array): void {
  const stat = fs.statSync(file);
  // A rename would cut other hard links off the new content; a file we cannot give back to its owner keeps its inode too.
  if (stat.nlink > 1 || !canKeepOwner(stat)) rewriteInPlace(file, original, content);
  else replaceByRename(file, stat, original, content);
}

function canKeepOwner(stat: fs.Stats): boolean {
  return process.getuid === undefined || process.getuid() === 0 || (stat.uid === process.getuid() && stat.gid === process.getgid?.());
}

function assertUnchanged(file: string, original: Uint8Array): void {
  let now: Buffer;
  try {
    now = fs.readFileSync(file);
  } catch (error) {
    throw new RewriteRefused(`it could not be read again before writing (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (!now.equals(original)) throw new RewriteRefused('it changed on disk while porta fix ran (your edit is kept; run porta fix again)');
}

function replaceByRename(file: string, stat: fs.Stats, original: Uint8Array, content: Uint8Array): void {
  const staged = stage(file, stat, content);
  if (!staged) return rewriteInPlace(file, original, content);
  try {
    fs.fsyncSync(staged.fd!);
  } catch (error) {
    discard(staged);
    throw error;
  } finally {
    close(staged);
  }
  commit(staged, file, original);
  syncDirectory(path.dirname(file));
}

/** A temporary file beside `file` holding `content`, its owner and mode set, not yet synced; `fd` is still open. */
interface Staged {
  tmp: string;
  fd: number | undefined;
  /** Its file system's clock, read from the temporary file once written. */
  clock?: FsClock;
}

/** Writes the temporary file; undefined when the folder refuses one (then the file is rewritten where it is). */
function stage(file: string, stat: fs.Stats, content: Uint8Array): Staged | undefined {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.porta-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = fs.openSync(tmp, 'wx', 0o600);
  } catch (error) {
    // A folder the user may not write to, holding a file they may: the file can still be rewritten where it is.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return undefined;
    throw error;
  }
  const staged: Staged = { tmp, fd };
  try {
    writeAll(fd, content);
    // The owner, then the mode as it was (open's mode passes the umask; chown clears set-id bits).
    if (process.getuid?.() === 0 && (stat.uid !== 0 || stat.gid !== 0)) fs.fchownSync(fd, stat.uid, stat.gid);
    fs.fchmodSync(fd, stat.mode & 0o7777);
    staged.clock = fsClockOf(fd);
  } catch (error) {
    close(staged);
    discard(staged);
    throw error;
  }
  return staged;
}

/**
 * Renames the synced temporary file over `file`, unless `file` changed since it was read: proven by its stat when its
 * stamp allows (readStamp.ts), else by reading it again.
 */
function commit(staged: Staged, file: string, original: Uint8Array, stamp?: ReadStamp): void {
  try {
    if (!(stamp && staged.clock && provesUnchanged(stamp, fs.statSync(file, { bigint: true }), staged.clock))) assertUnchanged(file, original);
    fs.renameSync(staged.tmp, file);
  } catch (error) {
    discard(staged);
    throw error;
  }
}

function close(staged: Staged): void {
  if (staged.fd !== undefined) fs.closeSync(staged.fd);
  staged.fd = undefined;
}

function discard(staged: Staged): void {
  fs.rmSync(staged.tmp, { force: true });
}

/** One file for rewriteFiles: as for rewriteFile, `file` is the real path and `original` the bytes read from it. */
export interface RewriteRequest {
  file: string;
  original: Uint8Array;
  content: Uint8Array;
  /** From readStamped() when `original` was read: lets the check before the rename skip reading the file again. */
  stamp?: ReadStamp;
}

/** Per request, in order: written, or the error (RewriteRefused or the fs error) that left that file as it was. */
export type RewriteOutcome = { written: true } | { written: false; error: unknown };

/**
 * rewriteFile for many files with the same guarantees, but the disk waits batched: every temporary file is written,
 * then all are synced together, then each is checked unchanged and renamed, then each folder is synced once.
 * A failure costs only its own file, whose temporary file is removed.
 */
export async function rewriteFiles(requests: readonly RewriteRequest[]): Promise<RewriteOutcome[]> {
  const outcomes: RewriteOutcome[] = requests.map(() => ({ written: true }));
  const staged: Array<{ index: number; staged: Staged }> = [];
  for (const [index, { file, original, content }] of requests.entries()) {
    try {
      const stat = fs.statSync(file);
      const ready = stat.nlink > 1 || !canKeepOwner(stat) ? undefined : stage(file, stat, content);
      if (ready) staged.push({ index, staged: ready });
      else rewriteInPlace(file, original, content); // hard links, a foreign owner, a folder refusing temporary files
    } catch (error) {
      outcomes[index] = { written: false, error };
    }
  }
  // Synced concurrently: the disk gets one batch of writes to wait for, not one round trip per file.
  const synced = await Promise.all(staged.map(({ staged: one }) => fsyncAsync(one.fd!).then(() => undefined, (error: unknown) => error)));
  const folders = new Set<string>();
  for (const [i, { index, staged: one }] of staged.entries()) {
    const { file, original, stamp } = requests[index];
    try {
      close(one);
      if (synced[i] !== undefined) throw synced[i];
      commit(one, file, original, stamp);
      folders.add(path.dirname(file));
    } catch (error) {
      discard(one);
      outcomes[index] = { written: false, error };
    }
  }
  await Promise.all([...folders].map(syncDirectoryAsync));
  return outcomes;
}

function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fsync(fd, (error) => (error ? reject(error) : resolve())));
}

/** Writes over the same inode; on failure (disk full) the original bytes go back, which fit where they were. */
function rewriteInPlace(file: string, original: Uint8Array, content: Uint8Array): void {
  assertUnchanged(file, original);
  const fd = fs.openSync(file, 'r+');
  try {
    try {
      writeAll(fd, content);
      fs.ftruncateSync(fd, content.length);
      fs.fsyncSync(fd);
    } catch (error) {
      try {
        writeAll(fd, original);
        fs.ftruncateSync(fd, original.length);
      } catch {
        // the write error below is what the user needs to see
      }
      throw error;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset, offset);
}

/** The rename itself is durable once the folder is synced; some file systems cannot, which loses nothing here. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // not supported on this file system
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

async function syncDirectoryAsync(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // not supported on this file system
  } finally {
    await handle?.close();
  }
}

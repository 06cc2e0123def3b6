import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

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
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.porta-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = fs.openSync(tmp, 'wx', 0o600);
  } catch (error) {
    // A folder the user may not write to, holding a file they may: the file can still be rewritten where it is.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return rewriteInPlace(file, original, content);
    throw error;
  }
  try {
    try {
      writeAll(fd, content);
      // The owner, then the mode as it was (open's mode passes the umask; chown clears set-id bits), then the bytes
      // on disk before the rename.
      if (process.getuid?.() === 0 && (stat.uid !== 0 || stat.gid !== 0)) fs.fchownSync(fd, stat.uid, stat.gid);
      fs.fchmodSync(fd, stat.mode & 0o7777);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    assertUnchanged(file, original);
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  syncDirectory(path.dirname(file));
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

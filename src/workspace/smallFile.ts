import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';

/**
 * Reading the small text files a workspace declares itself with (porta.toml, pyproject.toml, .gitignore,
 * requirements*.txt): only regular files, and only up to a cap. A FIFO or a link to /dev/zero with one of
 * those names would otherwise block the read forever or fill memory.
 */

/** More than any real manifest or ignore file. */
export const SMALL_FILE_LIMIT = 4 << 20;

/** Why a small file was refused; `code` is ENOTREG (a FIFO, device, socket or folder) or EFBIG (over the cap). */
export class SmallFileError extends Error {
  constructor(readonly code: 'ENOTREG' | 'EFBIG', message: string) {
    super(message);
    this.name = 'SmallFileError';
  }
}

// O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one (0 where it does not exist).
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

function refuse(stat: fs.Stats, limit: number): SmallFileError | undefined {
  if (!stat.isFile()) return new SmallFileError('ENOTREG', 'not a regular file');
  if (stat.size > limit) return new SmallFileError('EFBIG', `${stat.size} bytes is over the ${limit}-byte limit`);
  return undefined;
}

const tooBig = (limit: number) => new SmallFileError('EFBIG', `more than the ${limit}-byte limit`);
const CHUNK = 64 << 10;

/** The file's bytes; throws the open's own error (ENOENT, EACCES) or a SmallFileError. */
export async function readSmallBytes(file: string, limit = SMALL_FILE_LIMIT): Promise<Buffer> {
  const handle = await fsp.open(file, OPEN_FLAGS);
  try {
    const refused = refuse(await handle.stat(), limit);
    if (refused) throw refused;
    const chunks: Buffer[] = [];
    let total = 0;
    // Counted as read, not trusted from the stat: a file that grows meanwhile is still cut off at the cap.
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw tooBig(limit);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/** The file's text (UTF-8); see readSmallBytes. */
export async function readSmallFile(file: string, limit = SMALL_FILE_LIMIT): Promise<string> {
  return (await readSmallBytes(file, limit)).toString('utf8');
}

/** readSmallFile for synchronous callers (the CLI's per-file loops); never call it on the extension host. */
export function readSmallFileSync(file: string, limit = SMALL_FILE_LIMIT): string {
  const fd = fs.openSync(file, OPEN_FLAGS);
  try {
    const refused = refuse(fs.fstatSync(fd), limit);
    if (refused) throw refused;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const bytesRead = fs.readSync(fd, chunk, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw tooBig(limit);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

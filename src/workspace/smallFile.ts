import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';

/**
 * Reading files a workspace can plant: porta.toml, pyproject.toml, .gitignore, requirements*.txt, run records,
 * and the sources a scan reads. Only regular files, and only up to a cap: a FIFO or a link to /dev/zero by one of
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

/** The file's bytes; throws the open's own error (ENOENT, EACCES) or a SmallFileError. */
export async function readSmallBytes(file: string, limit = SMALL_FILE_LIMIT): Promise<Buffer> {
  const handle = await fsp.open(file, OPEN_FLAGS);
  try {
    const stat = await handle.stat();
    const refused = refuse(stat, limit);
    if (refused) throw refused;
    // Between 4 KiB and 1 MiB a read: a file as big as its stat says takes one.
    const size = Math.min(Math.max(stat.size, 4096), 1 << 20);
    const chunks: Buffer[] = [];
    let total = 0;
    // Read up to the stat's size, as fs.readFile does; a size of 0 (/proc files) reads to EOF. Counted as read
    // either way, so nothing past the cap is ever kept.
    while (stat.size === 0 || total < stat.size) {
      const chunk = Buffer.allocUnsafe(size);
      const { bytesRead } = await handle.read(chunk, 0, size, null);
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

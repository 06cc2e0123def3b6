import * as fs from 'node:fs';

/**
 * Proof that a file has not changed since it was read, without reading it again (what `git status` does with its
 * index): the same inode, size, mtime and ctime (which no tool can set back), and a ctime older than the moment of
 * the read by more than the file system's timestamp tick, so that no later write can have been stamped with the same
 * time. Where that last condition fails (a file written just before it was read), the caller compares the bytes.
 */
export interface ReadStamp {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  /** process.hrtime.bigint() before the file was examined. */
  readAt: bigint;
}

/**
 * The file system's clock: the ctime it gave a file it just changed (a temporary file beside the one to replace, so
 * the same file system), and process.hrtime.bigint() taken after. Comparing with it, not with this machine's clock,
 * keeps the proof sound on a network file system whose server clock is off.
 */
export interface FsClock {
  ctimeNs: bigint;
  at: bigint;
}

const SECOND = 1_000_000_000n;
/** Fine-grained file systems stamp from the kernel's coarse clock: up to a jiffy (≤ 10 ms) behind. */
const FINE_TICK = 50_000_000n;
/** Whole-second file systems (ext3, HFS+; FAT's mtime has 2 s steps). */
const COARSE_TICK = 2n * SECOND;

/** Reads a regular file with its stamp, taken before the bytes, so any change made while reading shows in ctime. */
export function readStamped(file: string): { bytes: Buffer; stamp?: ReadStamp } {
  const readAt = process.hrtime.bigint();
  const fd = fs.openSync(file, 'r');
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    const bytes = fs.readFileSync(fd);
    if (!stat.isFile()) return { bytes };
    return { bytes, stamp: { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs, readAt } };
  } finally {
    fs.closeSync(fd);
  }
}

/** The clock of the file system holding the open file `fd` (which this process has just changed). */
export function fsClockOf(fd: number): FsClock {
  const { ctimeNs } = fs.fstatSync(fd, { bigint: true });
  return { ctimeNs, at: process.hrtime.bigint() };
}

/** Whether `now` (the file's stat at write time) proves it unchanged since `stamp`; false means: compare the bytes. */
export function provesUnchanged(stamp: ReadStamp, now: fs.BigIntStats, clock: FsClock): boolean {
  if (now.dev !== stamp.dev || now.ino !== stamp.ino || now.size !== stamp.size || now.mtimeNs !== stamp.mtimeNs || now.ctimeNs !== stamp.ctimeNs) {
    return false;
  }
  // The file system's time at the read is at least its clock's reading less the real time elapsed since the read.
  const fsTimeAtRead = clock.ctimeNs - (clock.at - stamp.readAt);
  const tick = stamp.ctimeNs % SECOND === 0n && clock.ctimeNs % SECOND === 0n ? COARSE_TICK : FINE_TICK;
  return stamp.ctimeNs < fsTimeAtRead - tick;
}

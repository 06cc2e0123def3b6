import { randomBytes } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, open, readdir, rename, stat, writeFile, appendFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { RunRecord, RunStatus } from './record';
import { runRecordProblem } from './recordShape';
import { mapWithConcurrency } from './concurrency';
import { readSmallFile, SmallFileError } from '../workspace/smallFile';

export const TERMINAL: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled', 'lost'];
export function isTerminal(status: RunStatus): boolean {
  return TERMINAL.includes(status);
}

/** queued → running → terminal; queued may also end directly (failed before start, cancelled). Terminal is final. */
export function canTransition(from: RunStatus, to: RunStatus): boolean {
  if (from === to) return !isTerminal(from);
  if (isTerminal(from)) return false;
  if (from === 'running') return to !== 'queued';
  return true;
}

const ID = /^[0-9]{8}-[0-9]{6}-[a-f0-9]{6}$/;

export function newRunId(now = new Date()): string {
  const iso = now.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}-${randomBytes(3).toString('hex')}`;
}

export function isRunId(id: string): boolean {
  return ID.test(id);
}

/** Extra fields the runs code keeps in a record (all optional, so the shared RunRecord stays readable by others). */
export interface RunRuntimeInfo {
  /** The porta process (CLI or extension host) that owns the run, and its machine. */
  ownerPid?: number;
  ownerHost?: string;
  /** Local process-group id of the run (local targets). */
  pid?: number;
  /** Start time of that process (/proc/PID/stat, clock ticks since boot): a reused pid is not the run's. */
  pidStart?: string;
  /** Remote file holding the process-group id (ssh targets), relative to the remote home. */
  remotePidFile?: string;
  /** Remote (or shared) Slurm output file. */
  remoteLogFile?: string;
  /** Unique string on the run's command line, for `pgrep -f` checks after cancel. */
  marker?: string;
  /** Target-side working directory. */
  remoteDir?: string;
}

export type StoredRun = RunRecord & { runtime?: RunRuntimeInfo };

/** A `<id>.json` in the runs folder that is not a usable record, and why. */
export interface SkippedRecord {
  file: string;
  problem: string;
}

const READ_CONCURRENCY = 32;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const MAX_LOG_BYTES = 256 << 20;

/** The run history of one workspace: `.porta/runs/<id>.json` (written atomically) and `<id>.log`. */
export class RunHistory {
  readonly dir: string;

  /** Bytes written to each log by this process (appendLog's cap), learned from the file on first append. */
  private readonly logSizes = new Map<string, number>();

  constructor(
    readonly workspaceRoot: string,
    /** A run log stops growing here (256 MiB by default). */
    readonly maxLogBytes = MAX_LOG_BYTES,
  ) {
    this.dir = join(workspaceRoot, '.porta', 'runs');
  }

  recordPath(id: string): string {
    if (!isRunId(id)) throw new Error(`not a run id: ${JSON.stringify(id)}`);
    return join(this.dir, `${id}.json`);
  }

  logPath(id: string): string {
    if (!isRunId(id)) throw new Error(`not a run id: ${JSON.stringify(id)}`);
    return join(this.dir, `${id}.log`);
  }

  async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** Writes the record through a temporary file and rename, so readers never see a half-written JSON. */
  async save(record: StoredRun): Promise<void> {
    await this.ensureDir();
    const target = this.recordPath(record.id);
    const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(JSON.stringify(record, null, 2) + '\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  }

  /** Changes the status, refusing illegal transitions (a terminal status is final). Returns the saved record. */
  async transition(id: string, status: RunStatus, patch: Partial<StoredRun> = {}): Promise<StoredRun | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    if (!canTransition(current.status, status)) return current;
    const next: StoredRun = { ...current, ...patch, status };
    if (isTerminal(status) && !next.endedAt) next.endedAt = new Date().toISOString();
    await this.save(next);
    return next;
  }

  async get(id: string): Promise<StoredRun | undefined> {
    const read = await this.read(id);
    return 'record' in read ? read.record : undefined;
  }

  /** One record, or why it cannot be used (missing, not JSON, a folder, the wrong shape). */
  async read(id: string): Promise<{ record: StoredRun } | { problem: string }> {
    let value: unknown;
    try {
      value = JSON.parse(await readSmallFile(this.recordPath(id)));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { problem: 'no such record' };
      // A FIFO or device named like a record is no record (and never read).
      if (error instanceof SmallFileError) return { problem: error.code === 'ENOTREG' ? 'a folder, FIFO or device, not a file' : error.message };
      if (code === 'EISDIR') return { problem: 'a folder, not a file' };
      if (error instanceof SyntaxError) return { problem: `not valid JSON (${error.message})` };
      throw error;
    }
    const problem = runRecordProblem(value, id);
    return problem ? { problem } : { record: value as StoredRun };
  }

  /** All records, newest first. Unreadable or malformed files are skipped, not fatal. */
  async list(): Promise<StoredRun[]> {
    return (await this.listWithSkipped()).records;
  }

  /**
   * All records, newest first, and the files skipped with the reason (for a note). Read a few at a time: thousands
   * of records at once would run out of file descriptors (EMFILE under `ulimit -n 1024`).
   */
  async listWithSkipped(): Promise<{ records: StoredRun[]; skipped: SkippedRecord[] }> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return { records: [], skipped: [] };
    }
    const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).filter(isRunId);
    // One unreadable file (EACCES, EIO) is skipped like a malformed one.
    const reads = await mapWithConcurrency(ids, READ_CONCURRENCY, (id) =>
      this.read(id).catch((error: NodeJS.ErrnoException) => ({ problem: `cannot read (${error.code ?? error.message})` })),
    );
    const records: StoredRun[] = [];
    const skipped: SkippedRecord[] = [];
    reads.forEach((read, i) => {
      if ('record' in read) records.push(read.record);
      else if (read.problem !== 'no such record') skipped.push({ file: join(this.dir, `${ids[i]}.json`), problem: read.problem });
    });
    records.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
    return { records, skipped };
  }

  /**
   * Appends to a run's log up to `maxLogBytes`; past it the output is dropped after one line saying so, so a
   * script printing without end cannot fill the disk.
   */
  async appendLog(id: string, text: string): Promise<void> {
    const file = this.logPath(id);
    let size = this.logSizes.get(id);
    if (size === undefined) size = await stat(file).then((s) => s.size, () => 0);
    if (size > this.maxLogBytes) return; // cut already: the marker line took it past the cap
    let bytes = Buffer.from(text, 'utf8');
    if (size + bytes.length > this.maxLogBytes) {
      bytes = Buffer.concat([bytes.subarray(0, this.maxLogBytes - size), Buffer.from(`\n[porta: log cut at ${this.maxLogBytes} bytes; later output was not kept]\n`)]);
    }
    this.logSizes.set(id, size + bytes.length);
    await appendFile(file, bytes);
  }

  /**
   * The log from a byte offset on, for incremental tailing. `maxBytes` keeps only the last bytes of that range
   * (the dashboard's tail needs the end of a 200 MB log, not all of it in memory).
   */
  async readLog(id: string, fromByte = 0, maxBytes = Infinity): Promise<{ text: string; size: number }> {
    let size: number;
    try {
      size = (await stat(this.logPath(id))).size;
    } catch {
      return { text: '', size: 0 };
    }
    if (size <= fromByte) return { text: '', size };
    fromByte = Math.max(fromByte, size - maxBytes);
    const handle = await open(this.logPath(id), 'r');
    try {
      const buffer = Buffer.alloc(size - fromByte);
      await handle.read(buffer, 0, buffer.length, fromByte);
      return { text: buffer.toString('utf8'), size };
    } finally {
      await handle.close();
    }
  }

  /** Cancel requests from other processes are files beside the record, seen by the owning process. */
  async requestCancel(id: string): Promise<void> {
    await this.ensureDir();
    await writeFile(join(this.dir, `${id}.cancel`), new Date().toISOString());
  }

  async cancelRequested(id: string): Promise<boolean> {
    try {
      await stat(join(this.dir, `${id}.cancel`));
      return true;
    } catch {
      return false;
    }
  }

  async clearCancel(id: string): Promise<void> {
    await unlink(join(this.dir, `${id}.cancel`)).catch(() => undefined);
  }

  /** Calls the listener with each record that changes (created or rewritten), from any process. */
  watch(listener: (record: StoredRun) => void): { dispose(): void } {
    let watcher: FSWatcher | undefined;
    const timers = new Map<string, NodeJS.Timeout>();
    const start = async (): Promise<void> => {
      await this.ensureDir();
      watcher = watch(this.dir, (_event, name) => {
        if (!name || !name.endsWith('.json')) return;
        const id = name.slice(0, -5);
        if (!isRunId(id)) return;
        clearTimeout(timers.get(id));
        timers.set(id, setTimeout(() => {
          timers.delete(id);
          void this.get(id).then((record) => record && listener(record));
        }, 50));
      });
    };
    const ready = start();
    return {
      dispose: () => {
        void ready.then(() => watcher?.close());
        for (const timer of timers.values()) clearTimeout(timer);
      },
    };
  }

  /**
   * Finds runs left `queued`/`running` by a process that no longer exists on this machine and marks them `lost`.
   * Slurm jobs are not lost when their submitter dies: they are returned for re-attachment (launch.reattachSlurm).
   */
  async reconcile(): Promise<{ lost: StoredRun[]; slurm: StoredRun[] }> {
    const lost: StoredRun[] = [];
    const slurm: StoredRun[] = [];
    for (const record of await this.list()) {
      if (isTerminal(record.status)) continue;
      const owner = record.runtime;
      const ownerGone = owner?.ownerPid !== undefined && owner.ownerHost === hostname() && !processAlive(owner.ownerPid);
      if (!ownerGone) continue;
      if (record.targetKind === 'slurm' && record.slurmJobId) {
        slurm.push(record);
        continue;
      }
      const updated = await this.transition(record.id, 'lost', { error: record.error ?? 'the process that started this run exited before it finished' });
      if (updated) lost.push(updated);
    }
    return { lost, slurm };
  }
}

/** False only when the owner is known to be dead (same machine, pid gone). */
export function ownerAlive(record: StoredRun): boolean {
  const owner = record.runtime;
  if (owner?.ownerPid === undefined || owner.ownerHost !== hostname()) return true;
  return processAlive(owner.ownerPid);
}

export function ownerInfo(): Pick<RunRuntimeInfo, 'ownerPid' | 'ownerHost'> {
  return { ownerPid: process.pid, ownerHost: hostname() };
}

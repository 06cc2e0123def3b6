import { readdirSync, readFileSync } from 'node:fs';
import { sleep } from './process';
import { cgroupMembers, killCgroup, removeCgroup } from './runCgroup';
import { descendantsOf, liveProcess } from './runTree';

/**
 * Which local processes belong to a run, proven rather than taken from a record. Every process of a run inherits
 * `PORTA_RUN_MARKER=<marker>` in its environment (also one that left the process group with setsid, which a
 * command-line search misses), and only a run's processes have it. Run records come from the workspace: a pid in
 * one is a claim, signalled only when a process carrying the run's marker stands behind it. Linux only (/proc);
 * elsewhere nothing is proven and nothing is signalled from a record.
 */

/** The marker of run `id`; anything else in a record is refused. */
export function markerOf(id: string): string {
  return `porta-run-${id}`;
}

const MARKER = /^porta-run-[0-9]{8}-[0-9]{6}-[a-f0-9]{6}$/;

export function isMarker(value: unknown): value is string {
  return typeof value === 'string' && MARKER.test(value);
}

/** Fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The process's start time in clock ticks since boot: with the pid, it names one process for the machine's uptime. */
export function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

function processGroupOf(pid: number): number | undefined {
  const field = statFields(pid)?.[2];
  return field === undefined ? undefined : Number(field);
}

export function carriesMarker(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`PORTA_RUN_MARKER=${marker}`);
  } catch {
    return false;
  }
}

/** Pids of the processes that carry the marker (ours to read: the same user, or root). */
export function markedProcesses(marker: string): number[] {
  if (!isMarker(marker)) return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((name) => /^[0-9]+$/.test(name)).map(Number).filter((pid) => pid !== process.pid && carriesMarker(pid, marker));
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/** `pid command`, for messages. */
export function describeProcess(pid: number): string {
  return `${pid} ${commandLine(pid)}`.trim();
}

/** `pid command` lines of the marked processes, for messages. */
export function describeMarked(marker: string): string[] {
  return markedProcesses(marker).map(describeProcess);
}

/** A pid that may be the target of kill(): never 0, 1 or negative (kill(-1) signals every process we may signal). */
export function signalable(pid: unknown): pid is number {
  return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 1 && pid !== process.pid;
}

/**
 * The process group a record names, when it is proven to be the run's: a valid pid whose start time matches the
 * recorded one (not a reused pid) and whose group holds a process carrying the marker. Else the reason it is not.
 */
export function provenRunGroup(pid: unknown, startTime: unknown, marker: unknown): { pgid?: number; reason?: string } {
  if (pid === undefined) return { reason: 'no process id recorded' };
  if (!signalable(pid)) return { reason: `the recorded process id ${JSON.stringify(pid)} is not one Porta signals` };
  if (!isMarker(marker)) return { reason: 'the record carries no valid run marker' };
  const start = processStartTime(pid);
  if (start === undefined) return { reason: `process ${pid} is gone` };
  if (typeof startTime !== 'string' || startTime !== start) return { reason: `process ${pid} is not the run's (its start time differs from the record's: a reused pid, or a record Porta did not write)` };
  if (!markedProcesses(marker).some((member) => processGroupOf(member) === pid)) {
    return { reason: `process group ${pid} holds no process of this run` };
  }
  return { pgid: pid };
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    /* gone, or not ours */
  }
}

/**
 * A local run as one unit: its marker, and where available the launcher whose descendants it is
 * (porta_reaper.py, a child subreaper) and the cgroup it was born in. `pgid` is a proven process group for runs
 * started without a launcher (not Linux). Every field must be proven before it gets here.
 */
export interface RunUnit {
  marker: string;
  launcher?: number;
  /** The launcher's start time: once it has exited its pid may be reused, and another process's tree is not ours. */
  launcherStart?: string;
  cgroup?: string;
  pgid?: number;
}

/** The run's live processes other than the launcher: marked, descended from the launcher, or in its cgroup. */
export function unitMembers(unit: RunUnit): number[] {
  const found = new Set(markedProcesses(unit.marker));
  if (launcherLive(unit)) for (const pid of descendantsOf(unit.launcher as number)) found.add(pid);
  if (unit.cgroup !== undefined) for (const pid of cgroupMembers(unit.cgroup)) found.add(pid);
  return [...found].filter((pid) => pid !== unit.launcher && signalable(pid) && liveProcess(pid));
}

function launcherLive(unit: RunUnit): boolean {
  return unit.launcher !== undefined && unit.launcherStart !== undefined && processStartTime(unit.launcher) === unit.launcherStart && liveProcess(unit.launcher);
}

async function waitUntil(done: () => boolean, ms: number, each?: () => void): Promise<void> {
  for (let waited = 0; waited < ms && !done(); waited += 100) {
    each?.();
    await sleep(100);
  }
}

/**
 * Stops a run: TERM to every member (re-checked while waiting, so children forked meanwhile get it too), KILL after
 * the grace period (cgroup.kill first where the run has a cgroup). The launcher is stopped last, only once its tree
 * is empty: killed earlier, its orphans would go to init and escape. Returns `pid command` of what is left.
 */
export async function stopRunProcesses(unit: RunUnit, graceMs = 3000): Promise<string[]> {
  const groupAlive = (): boolean => unit.launcher === undefined && processGroupAlive(unit.pgid);
  const termed = new Set<number>();
  const term = (): void => {
    for (const pid of unitMembers(unit)) if (!termed.has(pid)) { termed.add(pid); signal(pid, 'SIGTERM'); }
  };
  if (unit.launcher === undefined && unit.pgid !== undefined && signalable(unit.pgid)) signal(-unit.pgid, 'SIGTERM');
  term();
  await waitUntil(() => unitMembers(unit).length === 0 && !groupAlive(), graceMs, term);
  const kill = (): void => {
    if (unit.cgroup !== undefined && unitMembers(unit).length > 0) killCgroup(unit.cgroup);
    if (unit.launcher === undefined && unit.pgid !== undefined && signalable(unit.pgid)) signal(-unit.pgid, 'SIGKILL');
    for (const pid of unitMembers(unit)) signal(pid, 'SIGKILL');
  };
  kill();
  await waitUntil(() => unitMembers(unit).length === 0, 1000, kill);
  const left = unitMembers(unit);
  const launcher = unit.launcher;
  if (left.length === 0 && launcher !== undefined && signalable(launcher)) {
    // With its tree gone the launcher exits by itself; one that does not (stopped, or not a launcher) is ended.
    await waitUntil(() => !launcherLive(unit), 1000);
    if (launcherLive(unit)) signal(launcher, 'SIGKILL');
  }
  if (left.length === 0 && unit.cgroup !== undefined) {
    await waitUntil(() => cgroupMembers(unit.cgroup as string).length === 0, 1000);
    removeCgroup(unit.cgroup);
  }
  return left.map(describeProcess);
}

function processGroupAlive(pgid: number | undefined): boolean {
  if (pgid === undefined || !signalable(pgid)) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

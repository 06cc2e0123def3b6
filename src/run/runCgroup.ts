import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * A cgroup v2 folder per local run, where the user may make one: the run's launcher moves itself in before it
 * starts the script, every process of the run is born inside, and `cgroup.kill` stops them all at once (no
 * process can leave a cgroup it may not write to). Detected, never assumed: it needs a cgroup2 mount, this
 * process's own v2 cgroup writable by us (delegated: the user's systemd subtree, or root), and `cgroup.kill`
 * (Linux 5.14+). Anything else falls back to the launcher's subreaper tree alone. PORTA_RUN_CGROUP=off turns it off.
 */

/** What the decision reads; tests give a fake cgroupfs folder. */
export interface CgroupView {
  /** /proc/self/mountinfo */
  mountinfo: string;
  /** /proc/self/cgroup (or /proc/PID/cgroup) */
  procCgroup: string;
  writable(path: string): boolean;
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function systemCgroupView(pid: number | 'self' = 'self'): CgroupView {
  return { mountinfo: readOr('/proc/self/mountinfo'), procCgroup: readOr(`/proc/${pid}/cgroup`), writable: canWrite };
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Mount point of the cgroup2 hierarchy (pure v2, or the `unified` one of a hybrid setup). */
export function cgroup2Mount(mountinfo: string): string | undefined {
  for (const line of mountinfo.split('\n')) {
    const [mountFields, fsFields] = line.split(' - ');
    if (fsFields?.split(' ')[0] === 'cgroup2') return unescapeMount(mountFields.split(' ')[4]);
  }
  return undefined;
}

/** The v2 cgroup folder of the process a view describes, or why there is none. */
export function ownCgroupDir(view: CgroupView): { dir?: string; reason?: string } {
  const mount = cgroup2Mount(view.mountinfo);
  if (!mount) return { reason: 'no cgroup v2 hierarchy is mounted (cgroup v1 only)' };
  const entry = view.procCgroup.split('\n').find((line) => line.startsWith('0::'));
  if (!entry) return { reason: 'this process has no cgroup v2 membership' };
  const dir = join(mount, entry.slice(3).trim());
  if (!existsSync(join(dir, 'cgroup.procs'))) return { reason: `${dir} is not a cgroup folder here (another cgroup namespace)` };
  return { dir };
}

/** Where a run's cgroup may be made: our own v2 cgroup, when we may make folders in it and move processes out of it. */
export function runCgroupParent(view: CgroupView): { dir?: string; reason?: string } {
  const own = ownCgroupDir(view);
  if (!own.dir) return own;
  if (!view.writable(own.dir) || !view.writable(join(own.dir, 'cgroup.procs'))) {
    return { reason: `the cgroup ${own.dir} is not delegated to this user` };
  }
  return own;
}

/** Makes the run's cgroup folder (named by its marker), or says why not; an unusable one is removed again. */
export function createRunCgroup(marker: string, view: CgroupView = systemCgroupView()): { dir?: string; reason?: string } {
  if (process.env.PORTA_RUN_CGROUP === 'off') return { reason: 'turned off (PORTA_RUN_CGROUP=off)' };
  const parent = runCgroupParent(view);
  if (!parent.dir) return parent;
  const dir = join(parent.dir, marker);
  try {
    mkdirSync(dir);
  } catch (error) {
    return { reason: `could not make ${dir}: ${(error as Error).message}` };
  }
  if (!existsSync(join(dir, 'cgroup.kill')) || !existsSync(join(dir, 'cgroup.procs'))) {
    removeCgroup(dir);
    return { reason: 'the kernel has no cgroup.kill (before Linux 5.14)' };
  }
  return { dir };
}

/** The run cgroup a proven launcher lives in: its own v2 cgroup, when that folder carries the run's marker as its name. */
export function runCgroupOf(pid: number, marker: string, view: CgroupView = systemCgroupView(pid)): string | undefined {
  const own = ownCgroupDir(view);
  return own.dir && basename(own.dir) === marker && existsSync(join(own.dir, 'cgroup.kill')) ? own.dir : undefined;
}

export function cgroupMembers(dir: string): number[] {
  return readOr(join(dir, 'cgroup.procs')).split('\n').filter((line) => /^[0-9]+$/.test(line)).map(Number);
}

/** SIGKILL to every process in the cgroup, by the kernel (no pid races). */
export function killCgroup(dir: string): void {
  try {
    writeFileSync(join(dir, 'cgroup.kill'), '1');
  } catch {
    /* gone already */
  }
}

/** Removes an empty run cgroup; a populated one stays (the kernel refuses). */
export function removeCgroup(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    /* populated, or gone */
  }
}

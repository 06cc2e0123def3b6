import { readdirSync, readFileSync } from 'node:fs';

/**
 * A local run's processes as a tree: every process of a run started under porta_reaper.py descends from that
 * launcher, because the launcher is a child subreaper (orphans reparent to it, not to init). Found by walking
 * /proc ppid links down from the launcher, so a process that cleared its environment (no marker), left the
 * session and double-forked is still found. Linux only; elsewhere the tree is empty.
 */

interface ProcEntry {
  pid: number;
  ppid: number;
  /** Zombies are dead already: their parent reaps them, nothing to signal. */
  zombie: boolean;
}

function readEntry(pid: number): ProcEntry | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), zombie: fields[0] === 'Z' || fields[0] === 'X' };
  } catch {
    return undefined;
  }
}

function allProcesses(): ProcEntry[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  return names.filter((name) => /^[0-9]+$/.test(name)).map((name) => readEntry(Number(name))).filter((entry): entry is ProcEntry => entry !== undefined);
}

/** Live descendants of `root` (not `root` itself), parents before children. */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, ProcEntry[]>();
  for (const entry of allProcesses()) {
    const siblings = children.get(entry.ppid) ?? [];
    siblings.push(entry);
    children.set(entry.ppid, siblings);
  }
  const found: number[] = [];
  const queue = [root];
  const seen = new Set(queue);
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      queue.push(child.pid);
      if (!child.zombie) found.push(child.pid);
    }
  }
  return found;
}

/** Whether `pid` is alive and not a zombie. */
export function liveProcess(pid: number): boolean {
  const entry = readEntry(pid);
  return entry !== undefined && !entry.zombie;
}

import { constants } from 'node:os';
import type { Readable } from 'node:stream';

/**
 * Reads porta_reaper.py's status lines (its fd 3, which the script never sees): whether it joined the run's
 * cgroup and became a subreaper, and when the script itself ended. The launcher only exits once the whole tree is
 * gone, so the script's end comes from here, not from the launcher's exit.
 */
export interface LauncherEvents {
  noCgroup(why: string): void;
  noSubreaper(why: string): void;
  /** The script ended with `code` or `signal`; `startError` when it could not be started at all. */
  ended(code: number | null, signal: NodeJS.Signals | null, startError?: string): void;
}

function signalName(num: number): NodeJS.Signals | null {
  const entry = Object.entries(constants.signals).find(([, value]) => value === num);
  return entry ? (entry[0] as NodeJS.Signals) : null;
}

export function parseLauncherLine(line: string, events: LauncherEvents): void {
  const [word, ...rest] = line.split(' ');
  const detail = rest.join(' ');
  if (word === 'cgroup' && rest[0] !== 'ok') events.noCgroup(detail);
  else if (word === 'subreaper' && rest[0] !== 'ok') events.noSubreaper(detail);
  else if (word === 'exit' && /^[0-9]+$/.test(detail)) events.ended(Number(detail), null);
  else if (word === 'signal' && /^[0-9]+$/.test(detail)) events.ended(null, signalName(Number(detail)));
  else if (word === 'error') events.ended(127, null, `could not start the run: ${detail}`);
}

export function readLauncherStatus(stream: Readable, events: LauncherEvents): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (text: string) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) parseLauncherLine(line, events);
  });
  stream.on('error', () => undefined);
}

import { isMarker } from '../runProcesses';

/**
 * POSIX shell for stopping a run on a remote Linux host, the remote twin of runProcesses.ts: a run's processes are
 * the ones whose environment carries its marker (setsid children and daemons included), and a recorded process group
 * is signalled only when one of those processes is in it. One grep reads every /proc/PID/environ (no process per pid).
 */

/** Defines porta_marked (pids carrying $m), porta_list (`pid args` lines) and porta_stop PGID (TERM, wait, KILL). */
const FUNCTIONS = [
  'porta_marked() { grep -lzxF "PORTA_RUN_MARKER=$m" /proc/[0-9]*/environ 2>/dev/null | sed -e "s#^/proc/##" -e "s#/environ\\$##"; }',
  'porta_list() { for q in $(porta_marked); do ps -o pid=,args= -p "$q" 2>/dev/null; done; }',
  'porta_stop() { '
  + '[ -n "$1" ] && kill -TERM -"$1" 2>/dev/null; for q in $(porta_marked); do kill -TERM "$q" 2>/dev/null; done; '
  + 'i=0; while [ $i -lt 30 ] && [ -n "$(porta_marked)" ]; do sleep 0.1; i=$((i+1)); done; '
  + '[ -n "$1" ] && kill -KILL -"$1" 2>/dev/null; for q in $(porta_marked); do kill -KILL "$q" 2>/dev/null; done; '
  + 'i=0; while [ $i -lt 10 ] && [ -n "$(porta_marked)" ]; do sleep 0.1; i=$((i+1)); done; }',
].join('\n');

function checked(marker: string): string {
  if (!isMarker(marker)) throw new Error(`not a Porta run marker: ${JSON.stringify(marker)}`);
  return marker; // letters, digits and '-' only: safe inside double quotes
}

/** Runs after the script in the launch line: stops what it left behind, so its output pipes close and the run ends. */
export function afterRunLine(marker: string): string {
  return `m=${checked(marker)}\n${FUNCTIONS}\nporta_stop ""`;
}

/**
 * Cancels the run: the group in `pidFile` (written by the launch line, so it names the launch shell) only when a
 * process carrying the marker is in it, then every marked process. Prints `pid args` of what is left.
 */
export function cancelLine(marker: string, pidFile: string): string {
  return [
    `m=${checked(marker)}`,
    FUNCTIONS,
    `p=$(cat ${pidFile} 2>/dev/null); case "$p" in ''|*[!0-9]*) p=;; esac; [ -n "$p" ] && [ "$p" -le 1 ] && p=`,
    'g=; for q in $(porta_marked); do [ -n "$p" ] && [ "$(ps -o pgid= -p "$q" 2>/dev/null | tr -d " ")" = "$p" ] && g=$p; done',
    'porta_stop "$g"',
    'porta_list',
  ].join('\n');
}

/** Prints `pid args` of the processes still carrying the marker. */
export function leftoversLine(marker: string): string {
  return `m=${checked(marker)}\n${FUNCTIONS}\nporta_list`;
}

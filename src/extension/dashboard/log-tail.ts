/** Keeps the last lines of a growing log for the Runs page. Pure. */

export const TAIL_LINES = 200;

/** A line of the tail keeps at most this many characters (the page shows a few hundred lines, not megabytes). */
export const TAIL_LINE_CHARS = 4096;

const clip = (line: string): string => (line.length > TAIL_LINE_CHARS ? `${line.slice(0, TAIL_LINE_CHARS)}…` : line);

export class LogTail {
  private lines: string[] = [];
  private partial = '';
  /** Lines dropped off the top. */
  dropped = false;

  constructor(private readonly max = TAIL_LINES) {}

  /** Appends a chunk (may end mid-line). */
  push(text: string): void {
    if (!text) return;
    const parts = (this.partial + text).split(/\r?\n/);
    this.partial = clip(parts.pop() ?? '');
    // Only the last `max` lines can survive; spreading a 150,000-line chunk into push() overflowed the stack.
    const fresh = parts.length > this.max ? parts.slice(-this.max) : parts;
    if (fresh.length < parts.length) this.dropped = true;
    this.lines = this.lines.concat(fresh.map(clip));
    if (this.lines.length > this.max) {
      this.lines = this.lines.slice(-this.max);
      this.dropped = true;
    }
  }

  /** Bytes were skipped before the next chunk: the unfinished line cannot continue across the gap. */
  gap(): void {
    this.partial = '';
    this.dropped = true;
  }

  snapshot(): string[] {
    return this.partial ? [...this.lines, this.partial].slice(-this.max) : [...this.lines];
  }
}

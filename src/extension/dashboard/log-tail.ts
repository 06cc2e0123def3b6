/** Keeps the last lines of a growing log for the Runs page. Pure. */

export const TAIL_LINES = 200;

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
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.max) {
      this.lines.splice(0, this.lines.length - this.max);
      this.dropped = true;
    }
  }

  snapshot(): string[] {
    return this.partial ? [...this.lines, this.partial].slice(-this.max) : [...this.lines];
  }
}

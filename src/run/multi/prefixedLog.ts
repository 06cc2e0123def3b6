import { LineSplitter } from '../metrics';

/**
 * Interleaves the logs of several runs on one stream: each complete line goes out as `[target] line`, so lines of
 * different targets never mix mid-line. `flush` writes what is left of a last line without a newline.
 */
export class PrefixedLog {
  private readonly splitters = new Map<string, LineSplitter>();
  private readonly width: number;

  constructor(targets: readonly string[], private readonly write: (text: string) => void) {
    this.width = Math.max(0, ...targets.map((t) => t.length));
  }

  private prefix(target: string): string {
    return `[${target}]${' '.repeat(this.width - target.length)} `;
  }

  log(target: string, text: string): void {
    let splitter = this.splitters.get(target);
    if (!splitter) this.splitters.set(target, (splitter = new LineSplitter()));
    const lines = splitter.push(text);
    if (lines.length) this.write(lines.map((l) => `${this.prefix(target)}${l}\n`).join(''));
  }

  /** One line from Porta itself about a target (status, failure). */
  note(target: string, line: string): void {
    this.write(`${this.prefix(target)}${line}\n`);
  }

  flush(target: string): void {
    const rest = this.splitters.get(target)?.push('\n') ?? [];
    this.splitters.delete(target);
    for (const line of rest) if (line) this.write(`${this.prefix(target)}${line}\n`);
  }
}

import { FNV_OFFSET, FNV_PRIME, nameHash } from './nameFilter';

/** One hipify table as the index reads it: names one a line; each row's other columns tab-separated, one a line. */
export interface IndexedTable {
  names: string;
  rows: string;
}

/**
 * hipify's ~9,000 table names, found by hash in typed arrays that point into the tables' packed strings: no string or
 * object per name until one is looked up and found. A JS Map of the names (what came before) allocated ~20,000
 * objects per `porta fix` process and carried them through every garbage collection. Where several tables list a
 * name, the first one wins (the tables' order is the order of precedence).
 */
export class TableIndex {
  /** How many distinct names. */
  readonly count: number;
  private readonly tableOf: Uint8Array;
  private readonly rowOf: Int32Array;
  private readonly offsetOf: Int32Array;
  private readonly lengthOf: Int32Array;
  private readonly hashOf: Int32Array;
  /** Open addressing: a name's index + 1, 0 where empty. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly rowStarts: Array<Int32Array | undefined>;

  constructor(private readonly tables: readonly IndexedTable[]) {
    let lines = 0;
    for (let t = 0; t < tables.length; t++) lines += tables[t].names ? countLines(tables[t].names) : 0;
    this.tableOf = new Uint8Array(lines);
    this.rowOf = new Int32Array(lines);
    this.offsetOf = new Int32Array(lines);
    this.lengthOf = new Int32Array(lines);
    this.hashOf = new Int32Array(lines);
    let size = 1;
    while (size < lines * 3) size <<= 1; // load ≤ 1/3: short probe runs
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    this.rowStarts = tables.map(() => undefined);
    let count = 0;
    for (let t = 0; t < tables.length; t++) {
      const names = tables[t].names;
      if (!names) continue;
      for (let start = 0, row = 0; start <= names.length; row++) {
        let end = names.indexOf('\n', start);
        if (end < 0) end = names.length;
        let hash = FNV_OFFSET;
        for (let i = start; i < end; i++) hash = Math.imul(hash ^ names.charCodeAt(i), FNV_PRIME);
        if (this.findRange(names, start, end - start, hash) < 0) {
          this.tableOf[count] = t;
          this.rowOf[count] = row;
          this.offsetOf[count] = start;
          this.lengthOf[count] = end - start;
          this.hashOf[count] = hash;
          let slot = hash & this.mask;
          while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
          this.slots[slot] = ++count;
        }
        start = end + 1;
      }
    }
    this.count = count;
  }

  /** The index of `name`, or -1. `hash` is nameHash(name), when the caller has it already. */
  find(name: string, hash = nameHash(name)): number {
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot];
      if (entry === 0) return -1;
      const i = entry - 1;
      if (this.hashOf[i] === hash && this.lengthOf[i] === name.length && this.tables[this.tableOf[i]].names.startsWith(name, this.offsetOf[i])) return i;
    }
  }

  /** The name at `i` (made into a string now). */
  name(i: number): string {
    return this.tables[this.tableOf[i]].names.slice(this.offsetOf[i], this.offsetOf[i] + this.lengthOf[i]);
  }

  /** Which table lists the name at `i` first. */
  table(i: number): number {
    return this.tableOf[i];
  }

  /** [cuda, hip, second, section, cudaV, hipV, secondV] of the name at `i`, from its table's row. */
  row(i: number): string[] {
    const t = this.tableOf[i];
    const rows = this.tables[t].rows;
    const starts = (this.rowStarts[t] ??= lineStarts(rows));
    const r = this.rowOf[i];
    const end = r + 1 < starts.length ? starts[r + 1] - 1 : rows.length;
    const fields = rows.slice(starts[r], end).split('\t');
    fields.unshift(this.name(i));
    return fields;
  }

  /** The hash of every name (for the lexer's Bloom filter), without making the names. */
  hashes(): Int32Array {
    return this.hashOf.subarray(0, this.count);
  }

  /** Like find(), for a name that is a range of another string (the same characters, compared in place). */
  private findRange(text: string, start: number, length: number, hash: number): number {
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot];
      if (entry === 0) return -1;
      const i = entry - 1;
      if (this.hashOf[i] === hash && this.lengthOf[i] === length && sameRange(this.tables[this.tableOf[i]].names, this.offsetOf[i], text, start, length)) return i;
    }
  }
}

function countLines(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

function lineStarts(text: string): Int32Array {
  const starts = new Int32Array(countLines(text));
  for (let line = 1, i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[line++] = i + 1;
  return starts;
}

function sameRange(a: string, aStart: number, b: string, bStart: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (a.charCodeAt(aStart + k) !== b.charCodeAt(bStart + k)) return false;
  return true;
}

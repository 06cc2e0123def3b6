import { FNV_OFFSET, FNV_PRIME, nameHash } from './nameFilter';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Little-endian int32s from base64, in an aligned array of their own. */
function int32s(base64: string): Int32Array {
  const bytes = Buffer.from(base64, 'base64');
  const out = new Int32Array(bytes.length >> 2);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

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
/**
 * The index's arrays as scripts/gen-hip-map.mjs writes them into tables/packed.json (base64 of little-endian int32s),
 * so that a process does not hash 9,000 names before its first lookup (that loop cost V8 ~50 ms of optimising).
 */
export interface PrebuiltIndex {
  count: number;
  tableOf: string;
  rowOf: string;
  offsetOf: string;
  lengthOf: string;
  hashOf: string;
  slots: string;
}

export class TableIndex {
  /** How many distinct names. */
  readonly count: number;
  private readonly tableOf: Int32Array;
  private readonly rowOf: Int32Array;
  private readonly offsetOf: Int32Array;
  private readonly lengthOf: Int32Array;
  private readonly hashOf: Int32Array;
  /** Open addressing: a name's index + 1, 0 where empty. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly rowStarts: Array<Int32Array | undefined>;

  /** From the prebuilt arrays where given (and this machine is little-endian), else built here. */
  constructor(
    private readonly tables: readonly IndexedTable[],
    prebuilt?: PrebuiltIndex,
  ) {
    this.rowStarts = tables.map(() => undefined);
    if (prebuilt && LITTLE_ENDIAN) {
      this.count = prebuilt.count;
      this.tableOf = int32s(prebuilt.tableOf);
      this.rowOf = int32s(prebuilt.rowOf);
      this.offsetOf = int32s(prebuilt.offsetOf);
      this.lengthOf = int32s(prebuilt.lengthOf);
      this.hashOf = int32s(prebuilt.hashOf);
      this.slots = int32s(prebuilt.slots);
      this.mask = this.slots.length - 1;
      return;
    }
    let lines = 0;
    for (let t = 0; t < tables.length; t++) lines += tables[t].names ? countLines(tables[t].names) : 0;
    this.tableOf = new Int32Array(lines);
    this.rowOf = new Int32Array(lines);
    this.offsetOf = new Int32Array(lines);
    this.lengthOf = new Int32Array(lines);
    this.hashOf = new Int32Array(lines);
    let size = 1;
    while (size < lines * 3) size <<= 1; // load ≤ 1/3: short probe runs
    this.slots = new Int32Array(size);
    this.mask = size - 1;
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

  /** The arrays, for comparing a prebuilt index with one built here (a test). */
  arrays(): Record<'tableOf' | 'rowOf' | 'offsetOf' | 'lengthOf' | 'hashOf' | 'slots', Int32Array> {
    const n = this.count;
    return { tableOf: this.tableOf.subarray(0, n), rowOf: this.rowOf.subarray(0, n), offsetOf: this.offsetOf.subarray(0, n), lengthOf: this.lengthOf.subarray(0, n), hashOf: this.hashOf.subarray(0, n), slots: this.slots };
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

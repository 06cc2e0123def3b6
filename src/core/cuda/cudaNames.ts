import type { MapEntry } from './map';
import { nameHash } from './nameFilter';
import type { TableIndex } from './tableIndex';

/**
 * The plain names of one CUDA map: hipify's tables (a TableIndex shared by every choice of options, entries made for
 * this choice on first read) under the hand-written rows set over them. Reads as a ReadonlyMap; iterating makes
 * every entry, which only tests and reports do.
 */
export class CudaNames implements ReadonlyMap<string, MapEntry> {
  /** Hand-written rows, and table entries made so far. */
  private readonly made = new Map<string, MapEntry>();

  constructor(
    private readonly index: TableIndex,
    private readonly make: (i: number) => MapEntry,
  ) {}

  /** Sets or replaces one name's entry (while the map is being built): it takes precedence over the tables. */
  setValue(name: string, entry: MapEntry): void {
    this.made.set(name, entry);
  }

  get(name: string): MapEntry | undefined {
    const made = this.made.get(name);
    if (made !== undefined) return made;
    const i = this.index.find(name);
    if (i < 0) return undefined;
    const entry = this.make(i);
    this.made.set(name, entry);
    return entry;
  }

  has(name: string): boolean {
    return this.made.has(name) || this.index.find(name) >= 0;
  }

  get size(): number {
    return this.index.count + this.extraNames().length;
  }

  /** The hash of every name (the lexer's Bloom filter), without making the tables' names. */
  nameHashes(): ArrayLike<number> {
    const extra = this.extraNames();
    const hashes = new Int32Array(this.index.count + extra.length);
    hashes.set(this.index.hashes());
    for (let i = 0; i < extra.length; i++) hashes[this.index.count + i] = nameHash(extra[i]);
    return hashes;
  }

  *keys(): MapIterator<string> {
    for (let i = 0; i < this.index.count; i++) yield this.index.name(i);
    yield* this.extraNames();
  }

  *entries(): MapIterator<[string, MapEntry]> {
    for (const name of this.keys()) yield [name, this.get(name)!];
  }

  *values(): MapIterator<MapEntry> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, MapEntry]> {
    return this.entries();
  }

  forEach(callback: (value: MapEntry, key: string, map: ReadonlyMap<string, MapEntry>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  /** Names set by hand that no table lists. */
  private extraNames(): string[] {
    return [...this.made.keys()].filter((name) => this.index.find(name) < 0);
  }
}

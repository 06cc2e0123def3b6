/**
 * A read-only map whose values are made on first read. The mapping holds ~9,000 names, of which a file uses a few
 * dozen: making every entry up front cost a `porta fix` run more than rewriting a hundred files.
 */
export class LazyMap<K, V> implements ReadonlyMap<K, V> {
  private readonly made = new Map<K, V>();

  constructor(private readonly makers: Map<K, () => V>) {}

  /** Sets or replaces one key (while the map is being built). */
  set(key: K, make: () => V): void {
    this.makers.set(key, make);
    this.made.delete(key);
  }

  get(key: K): V | undefined {
    let value = this.made.get(key);
    if (value === undefined) {
      const make = this.makers.get(key);
      if (!make) return undefined;
      value = make();
      this.made.set(key, value);
    }
    return value;
  }

  has(key: K): boolean {
    return this.makers.has(key);
  }

  get size(): number {
    return this.makers.size;
  }

  keys(): MapIterator<K> {
    return this.makers.keys();
  }

  *entries(): MapIterator<[K, V]> {
    for (const key of this.makers.keys()) yield [key, this.get(key)!];
  }

  *values(): MapIterator<V> {
    for (const key of this.makers.keys()) yield this.get(key)!;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}

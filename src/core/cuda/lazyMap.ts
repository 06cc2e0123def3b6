/**
 * A read-only map whose values are made on first read. The mapping holds ~9,000 names, of which a file uses a few
 * dozen: making every entry up front cost a `porta fix` run more than rewriting a hundred files. A value not yet made
 * is held as a number (the seed its maker needs), so building the map allocates nothing per key, and the common
 * lookup (an identifier that is no CUDA name) costs one hash probe.
 */
export class LazyMap<K, V extends object> implements ReadonlyMap<K, V> {
  private readonly slots = new Map<K, V | number>();

  constructor(private readonly make: (seed: number) => V) {}

  /** Sets or replaces one key with a value made from `seed` when first read (while the map is being built). */
  setSeed(key: K, seed: number): void {
    this.slots.set(key, seed);
  }

  /** Sets or replaces one key with a value made already. */
  setValue(key: K, value: V): void {
    this.slots.set(key, value);
  }

  get(key: K): V | undefined {
    const slot = this.slots.get(key);
    if (typeof slot !== 'number') return slot;
    const value = this.make(slot);
    this.slots.set(key, value);
    return value;
  }

  has(key: K): boolean {
    return this.slots.has(key);
  }

  get size(): number {
    return this.slots.size;
  }

  keys(): MapIterator<K> {
    return this.slots.keys();
  }

  *entries(): MapIterator<[K, V]> {
    for (const key of [...this.slots.keys()]) yield [key, this.get(key)!];
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}

/**
 * A read-only map whose values are made on first read. The mapping holds ~9,000 names, of which a file uses a few
 * dozen: making every entry up front cost a `porta fix` run more than rewriting a hundred files. One Map holds both
 * made values and makers, so the common lookup (an identifier that is no CUDA name) costs one hash probe.
 */
class Maker<V> {
  constructor(readonly make: () => V) {}
}

export class LazyMap<K, V> implements ReadonlyMap<K, V> {
  private readonly slots = new Map<K, V | Maker<V>>();

  constructor(makers: ReadonlyMap<K, () => V> = new Map()) {
    for (const [key, make] of makers) this.set(key, make);
  }

  /** Sets or replaces one key (while the map is being built). */
  set(key: K, make: () => V): void {
    this.slots.set(key, new Maker(make));
  }

  get(key: K): V | undefined {
    const slot = this.slots.get(key);
    if (!(slot instanceof Maker)) return slot;
    const value = slot.make();
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

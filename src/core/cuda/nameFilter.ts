/**
 * A Bloom filter over the names a CUDA map knows, keyed by the FNV-1a hash the lexer computes while it scans an
 * identifier. Most identifiers (variables, keywords, types) are ruled out before a string is made for them or the map
 * is probed: the lexer's largest cost was making ~150,000 such strings per suite of files, and collecting them.
 * A Bloom filter has no false negatives: every name the map knows passes; ~0.5 % of the others pass too and are
 * then looked up as before.
 */
import type { CudaMap } from './map';

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

const BITS = 18; // 2^18 bits (32 KiB) for ~9,500 names, two probes: ~0.5 % false positives
const MASK = (1 << BITS) - 1;

/** FNV-1a over UTF-16 code units, as the lexer computes it. */
export function nameHash(name: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), FNV_PRIME);
  return hash;
}

export class NameFilter {
  private readonly bits = new Uint32Array(1 << (BITS - 5));

  add(hash: number): void {
    const a = hash & MASK;
    const b = (hash >>> (32 - BITS)) & MASK;
    this.bits[a >>> 5] |= 1 << (a & 31);
    this.bits[b >>> 5] |= 1 << (b & 31);
  }

  /** False: certainly no name of the map. True: maybe one (look it up). */
  mayContain(hash: number): boolean {
    const a = hash & MASK;
    const b = (hash >>> (32 - BITS)) & MASK;
    return (this.bits[a >>> 5] & (1 << (a & 31))) !== 0 && (this.bits[b >>> 5] & (1 << (b & 31))) !== 0;
  }
}

const filters = new WeakMap<CudaMap, NameFilter>();

/** The filter for `map`'s plain names and qualified-namespace segments, built once per map. */
export function nameFilterFor(map: CudaMap): NameFilter {
  let filter = filters.get(map);
  if (!filter) {
    filter = new NameFilter();
    // The map's own hashes where it has them (CudaNames: no string per table name); else its keys, hashed.
    const names = map.names as ReadonlyMap<string, unknown> & { nameHashes?: () => ArrayLike<number> };
    const hashes = names.nameHashes ? names.nameHashes() : [...names.keys()].map(nameHash);
    for (let i = 0; i < hashes.length; i++) filter.add(hashes[i]);
    const segments = [...map.qualifiedNamespaces.keys()];
    for (let i = 0; i < segments.length; i++) filter.add(nameHash(segments[i]));
    filters.set(map, filter);
  }
  return filter;
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { torchVersionFromManifest, TORCH_MANIFESTS } from '../core/fix/version';

/**
 * The torch version declared nearest to a file (its folder, then the folders above it): what `porta fix` and the
 * editor's fixes write for. `cache` (folder -> version) serves many files of one tree; pass a fresh one to re-read.
 */
export function declaredTorchVersion(file: string, cache: Map<string, string | undefined> = new Map()): string | undefined {
  const visited: string[] = [];
  let dir = path.dirname(file);
  let found: string | undefined;
  for (;;) {
    if (cache.has(dir)) {
      found = cache.get(dir);
      break;
    }
    visited.push(dir);
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      // unreadable folder: nothing declared here
    }
    for (const pattern of TORCH_MANIFESTS) {
      for (const name of names.filter((n) => pattern.test(n)).sort()) {
        try {
          found ??= torchVersionFromManifest(name, fs.readFileSync(path.join(dir, name), 'utf8'));
        } catch {
          // unreadable manifest: ignore it
        }
      }
    }
    const parent = path.dirname(dir);
    if (found || parent === dir) break;
    dir = parent;
  }
  for (const d of visited) cache.set(d, found);
  return found;
}


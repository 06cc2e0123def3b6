import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { torchVersionFromManifest, TORCH_MANIFESTS } from '../core/fix/version';
import { readSmallFile } from './smallFile';

/**
 * The torch version declared nearest to a file (its folder, then the folders above it): what `porta fix` and the
 * editor's fixes write for. `cache` (folder -> version) serves many files of one tree; pass a fresh one to re-read.
 * Asynchronous, and manifests are read only when they are regular files under a size cap (readSmallFile): a FIFO
 * named requirements.txt in a parent folder must not stall the editor or the CLI.
 */
export async function declaredTorchVersion(file: string, cache: Map<string, string | undefined> = new Map()): Promise<string | undefined> {
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
      names = await fs.readdir(dir);
    } catch {
      // unreadable folder: nothing declared here
    }
    for (const pattern of TORCH_MANIFESTS) {
      for (const name of names.filter((n) => pattern.test(n)).sort()) {
        if (found) break;
        try {
          found = torchVersionFromManifest(name, await readSmallFile(path.join(dir, name)));
        } catch {
          // unreadable manifest, or not a regular file: ignore it
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

import * as fs from 'node:fs';
import * as path from 'node:path';
import { SHARED_FILE, SHARED_MODULE } from '../core/fix/python/sharedSupport';

/**
 * Where a Python file's support code lives when it belongs to a package (a folder with `__init__.py`): one shared
 * module at the top of the package (the outermost folder of the `__init__.py` chain), imported relatively. A file
 * outside any package (a script) keeps its support code inline.
 */
export interface PackagePlace {
  /** The top package folder: where `_porta_device.py` goes. */
  root: string;
  /** What the file imports the shared module as (`._porta_device`, `.._porta_device`, ...). */
  from: string;
}

export function packagePlace(file: string, isFile: (p: string) => boolean = defaultIsFile): PackagePlace | undefined {
  if (!file.endsWith('.py') || path.basename(file) === SHARED_FILE) return undefined;
  let dir = path.dirname(file);
  if (!isFile(path.join(dir, '__init__.py'))) return undefined;
  let depth = 0;
  for (let parent = path.dirname(dir); parent !== dir && isFile(path.join(parent, '__init__.py')); parent = path.dirname(dir)) {
    dir = parent;
    depth++;
  }
  return { root: dir, from: `${'.'.repeat(depth + 1)}${SHARED_MODULE}` };
}

function defaultIsFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

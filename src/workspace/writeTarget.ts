import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where a fix may write a file found under `roots`: through symbolic links (the link itself stays a link) to the real
 * file, but only when that file lies inside one of the roots given, and only when it is writable. Otherwise the
 * reason it is left alone.
 */
export type WriteTarget = { path: string } | { refused: string };

/** The roots as real paths (a root that is itself a link counts as where it points), as a set for `insideAny`. */
export function realRoots(roots: string[], cwd: string): ReadonlySet<string> {
  return new Set(
    roots.map((root) => {
      const absolute = path.resolve(cwd, root);
      try {
        return rootKey(fs.realpathSync.native(absolute));
      } catch {
        return rootKey(absolute);
      }
    }),
  );
}

/** Windows paths compare without case, as path.relative does there. */
function rootKey(absolute: string): string {
  return process.platform === 'win32' ? absolute.toLowerCase() : absolute;
}

/**
 * Whether `file` (an absolute real path) is one of `roots` or lies below one. Walks up the file's folders against
 * the set, so `porta fix a.cu b.cu …` with n files costs n·depth lookups, not n² path comparisons.
 */
export function insideAny(file: string, roots: ReadonlySet<string>): boolean {
  for (let dir = path.resolve(file); ; dir = path.dirname(dir)) {
    if (roots.has(rootKey(dir))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

export function writeTarget(file: string, roots: ReadonlySet<string>, mode: 'write' | 'show' = 'write'): WriteTarget {
  let real: string;
  try {
    real = fs.realpathSync.native(file); // one realpath(3), not an lstat per path component
  } catch (error) {
    return { refused: `cannot resolve it (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  if (!insideAny(real, roots)) return { refused: `it is a symbolic link to ${real}, outside the paths given` };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(real);
  } catch (error) {
    return { refused: `cannot stat it (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  // Root may write anything, so the mode bits say what the user meant; others also need the permission itself.
  // Showing a diff writes nothing: a read-only file is refused only for writing.
  if (mode === 'write' && ((stat.mode & 0o222) === 0 || !writable(real))) return { refused: 'it is read-only (make it writable to let porta fix rewrite it)' };
  return { path: real };
}

function writable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

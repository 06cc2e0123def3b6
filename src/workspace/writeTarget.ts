import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where a fix may write a file found under `roots`: through symbolic links (the link itself stays a link) to the real
 * file, but only when that file lies inside one of the roots given, and only when it is writable. Otherwise the
 * reason it is left alone.
 */
export type WriteTarget = { path: string } | { refused: string };

/** The roots as real paths (a root that is itself a link counts as where it points). */
export function realRoots(roots: string[], cwd: string): string[] {
  return roots.map((root) => {
    const absolute = path.resolve(cwd, root);
    try {
      return fs.realpathSync(absolute);
    } catch {
      return absolute;
    }
  });
}

export function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

export function writeTarget(file: string, roots: string[], mode: 'write' | 'show' = 'write'): WriteTarget {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (error) {
    return { refused: `cannot resolve it (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  if (!roots.some((root) => isInside(real, root))) return { refused: `it is a symbolic link to ${real}, outside the paths given` };
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

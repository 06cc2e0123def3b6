import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { FileNote } from '../core/model';
import { readSmallFile, SmallFileError } from './smallFile';

/** The one file walker shared by the CLI and the extension. */

export interface WalkOptions {
  /** gitignore-style globs, relative to each root (config `exclude`). */
  exclude?: string[];
  /** Which files to yield, by display path (directories are always entered unless ignored). */
  accept?: (displayPath: string) => boolean;
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  signal?: AbortSignal;
}

export interface WalkFile {
  kind: 'file';
  /** The root as given joined with the relative path ("examples/train.py", "./src/a.py"). */
  path: string;
  absolute: string;
  size: number;
}

export type WalkEntry = WalkFile | { kind: 'note'; note: FileNote };

/** Directories nobody wants scanned. */
const ALWAYS_SKIPPED = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.ipynb_checkpoints', 'site-packages']);

interface IgnoreLayer {
  base: string;
  rules: Ignore;
}

function display(root: string, relative: string): string {
  if (root === '.' || root === './') return relative;
  const sep = root.endsWith('/') || root.endsWith(path.sep) ? '' : '/';
  return `${root}${sep}${relative}`;
}

export async function* walk(roots: string[], cwd: string, options: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  for (const root of roots) {
    const absolute = path.resolve(cwd, root);
    let stat;
    try {
      stat = await fs.stat(absolute);
    } catch (error) {
      yield { kind: 'note', note: { path: root, kind: 'unreadable', message: `Cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` } };
      continue;
    }
    if (stat.isFile()) {
      yield { kind: 'file', path: root, absolute, size: stat.size };
      continue;
    }
    const excludes = ignore().add(options.exclude ?? []);
    const visited = new Set<string>();
    yield* walkDirectory(root, absolute, '', [], excludes, visited, options);
  }
}

async function* walkDirectory(root: string, absRoot: string, relative: string, layers: IgnoreLayer[], excludes: Ignore, visited: Set<string>, options: WalkOptions): AsyncGenerator<WalkEntry> {
  if (options.signal?.aborted) return;
  const dir = path.join(absRoot, relative);
  let real: string;
  try {
    real = await fs.realpath(dir);
  } catch {
    return;
  }
  if (visited.has(real)) {
    yield { kind: 'note', note: { path: display(root, relative), kind: 'skipped', message: 'Symbolic link loop: directory already visited' } };
    return;
  }
  visited.add(real);
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    yield { kind: 'note', note: { path: display(root, relative || '.'), kind: 'unreadable', message: `Cannot list directory: ${(error as NodeJS.ErrnoException).code ?? String(error)}` } };
    return;
  }
  let here = layers;
  if (options.gitignore !== false && entries.some((e) => e.name === '.gitignore')) {
    try {
      here = [...layers, { base: relative, rules: ignore().add(await readSmallFile(path.join(dir, '.gitignore'))) }];
    } catch (error) {
      // An unreadable .gitignore ignores nothing; a FIFO or device by that name is said so, not read.
      if (error instanceof SmallFileError) yield { kind: 'note', note: { path: display(root, relative ? `${relative}/.gitignore` : '.gitignore'), kind: 'skipped', message: `Ignored .gitignore: ${error.message}` } };
    }
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (options.signal?.aborted) return;
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    let size = 0;
    // Only files we would read are stat'ed (for their size).
    if (isFile && options.accept && !options.accept(display(root, rel))) continue;
    if (entry.isSymbolicLink() || isFile) {
      try {
        const stat = await fs.stat(path.join(dir, entry.name));
        isDir = stat.isDirectory();
        isFile = stat.isFile();
        size = stat.size;
      } catch {
        if (entry.isSymbolicLink()) yield { kind: 'note', note: { path: display(root, rel), kind: 'skipped', message: 'Broken symbolic link' } };
        continue;
      }
    }
    if (isDir && ALWAYS_SKIPPED.has(entry.name)) continue;
    if (isIgnored(rel, isDir, here, excludes)) continue;
    if (isDir) yield* walkDirectory(root, absRoot, rel, here, excludes, visited, options);
    else if (isFile) {
      const shown = display(root, rel);
      if (!options.accept || options.accept(shown)) yield { kind: 'file', path: shown, absolute: path.join(dir, entry.name), size };
    }
  }
}

function isIgnored(rel: string, isDir: boolean, layers: IgnoreLayer[], excludes: Ignore): boolean {
  const probe = isDir ? `${rel}/` : rel;
  if (excludes.ignores(probe)) return true;
  for (const layer of layers) {
    const inner = layer.base ? probe.slice(layer.base.length + 1) : probe;
    if (inner && layer.rules.ignores(inner)) return true;
  }
  return false;
}

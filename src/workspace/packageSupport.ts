import * as fs from 'node:fs';
import * as path from 'node:path';
import { SHARED_FILE, SHARED_MODULE } from '../core/fix/python/sharedSupport';
import { createParser, type TreeSitter } from '../core/parse/loader';
import { packagesFromPyproject, packagesFromSetupPy, type PackageDeclarations } from '../core/python/declaredPackages';

/**
 * Where a Python file's support code lives when it belongs to a package: one shared module at the top of the
 * package, imported relatively. The package is the outermost folder of the `__init__.py` chain, or a top-level
 * package the project declares (pyproject.toml, setup.py, a src/ layout) though its folders have no `__init__.py`.
 * A file outside any package (a script) keeps its support code inline.
 */
export interface PackagePlace {
  /** The top package folder: where `_porta_device.py` goes. */
  root: string;
  /** What the file imports the shared module as (`._porta_device`, `.._porta_device`, ...). */
  from: string;
}

/** The declared top-level package folder that holds a file, if any (see `declaredPackages`). */
export type DeclaredRoot = (file: string) => string | undefined;

export function packagePlace(file: string, isFile: (p: string) => boolean = defaultIsFile, declared?: DeclaredRoot): PackagePlace | undefined {
  if (!file.endsWith('.py') || path.basename(file) === SHARED_FILE) return undefined;
  const folder = path.dirname(file);
  let top: string | undefined;
  if (isFile(path.join(folder, '__init__.py'))) {
    top = folder;
    for (let parent = path.dirname(top); parent !== top && isFile(path.join(parent, '__init__.py')); parent = path.dirname(top)) top = parent;
  }
  // A declared package above the chain (a namespace package holding regular ones) is the real top.
  const root = declared?.(file);
  if (root && (!top || inside(top, root))) top = root;
  if (!top) return undefined;
  const depth = path.relative(top, folder).split(path.sep).filter(Boolean).length;
  return { root: top, from: `${'.'.repeat(depth + 1)}${SHARED_MODULE}` };
}

/** Whether `file` is `folder` or below it. */
function inside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

function defaultIsFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function readText(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

const PACKAGE_NAME = /^[A-Za-z_]\w*$/;

/**
 * The packages projects declare, read once per project folder (the nearest folder above a file with a
 * pyproject.toml or setup.py): setup.py is read with tree-sitter, pyproject.toml with the project's TOML parser.
 * A project that lists nothing but has a src/ folder gets src-layout discovery, as setuptools does.
 */
export async function declaredPackageRoots(): Promise<DeclaredRoot> {
  let parser: TreeSitter.Parser | undefined;
  try {
    parser = await createParser('python');
  } catch {
    parser = undefined; // without the grammar, setup.py is not read; pyproject.toml still is
  }
  const projects = new Map<string, string[]>();
  const projectOf = (folder: string): string | undefined => {
    for (let dir = folder, up = path.dirname(dir); ; dir = up, up = path.dirname(dir)) {
      if (defaultIsFile(path.join(dir, 'pyproject.toml')) || defaultIsFile(path.join(dir, 'setup.py'))) return dir;
      if (up === dir) return undefined;
    }
  };
  const rootsOf = (project: string): string[] => {
    let roots = projects.get(project);
    if (roots) return roots;
    const declared: PackageDeclarations = { roots: [], searchIn: [] };
    const add = (more: PackageDeclarations): void => {
      declared.roots.push(...more.roots);
      declared.searchIn.push(...more.searchIn);
    };
    const pyproject = readText(path.join(project, 'pyproject.toml'));
    if (pyproject !== undefined) add(packagesFromPyproject(pyproject));
    const setup = parser && readText(path.join(project, 'setup.py'));
    if (parser && setup !== undefined) {
      const tree = parser.parse(setup);
      if (tree) {
        add(packagesFromSetupPy(tree.rootNode));
        tree.delete();
      }
    }
    if (declared.roots.length === 0 && declared.searchIn.length === 0) declared.searchIn.push('src');
    const found = declared.roots.map((r) => path.resolve(project, r));
    for (const folder of declared.searchIn.map((s) => path.resolve(project, s))) {
      if (folder === project) continue; // the project's own top-level folders: too broad (scripts, tests, docs)
      let entries: fs.Dirent[] = [];
      try {
        entries = fs.readdirSync(folder, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (entry.isDirectory() && PACKAGE_NAME.test(entry.name) && entry.name !== '__pycache__') found.push(path.join(folder, entry.name));
      }
    }
    roots = [...new Set(found)].filter((r) => r !== project && inside(r, project) && isDirectory(r));
    projects.set(project, roots);
    return roots;
  };
  return (file) => {
    const project = projectOf(path.dirname(file));
    return project ? rootsOf(project).find((root) => inside(file, root)) : undefined;
  };
}

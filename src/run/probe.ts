import { isAbsolute, relative, resolve } from 'node:path';

/**
 * How Porta starts an interpreter only to ask it something (is torch there, which accelerators): never with code
 * from the workspace. `-I` keeps the working directory and PYTHON* variables out of sys.path, and '/' is a working
 * directory nobody can plant modules in.
 */
export const ISOLATED = ['-I'] as const;
export const NEUTRAL_CWD = '/';

/**
 * Why an interpreter must not be probed, or undefined. An interpreter path that lies inside the workspace (a
 * porta.toml `python = "./venv/bin/python"` or a script posing as one) is the workspace's own code: it runs when the
 * user starts a run, never to list or discover targets.
 */
export function probeRefusal(python: string, workspaceRoot: string): string | undefined {
  if (!python.includes('/')) return undefined; // looked up on PATH, like any command the user runs
  const abs = resolve(workspaceRoot, python);
  const rel = relative(resolve(workspaceRoot), abs);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    return `not probed: the interpreter ${python} is inside the workspace, and Porta runs workspace code only for a run you start`;
  }
  return undefined;
}

import { execFile } from 'node:child_process';
import { ISOLATED, NEUTRAL_CWD } from '../probe';

/** Exits 0 when torch is importable, without paying for the import itself. */
const HAS_TORCH = 'import importlib.util, sys; sys.exit(0 if importlib.util.find_spec("torch") else 1)';

let cached: Promise<string> | undefined;

function hasTorch(python: string): Promise<boolean> {
  return new Promise((resolve) => {
    // Isolated (-I: no script folder or working directory on sys.path, no PYTHON* variables) and started in '/':
    // a folder such as importlib/ in the user's current directory must never be imported by a probe.
    execFile(python, [...ISOLATED, '-c', HAS_TORCH], { timeout: 15000, cwd: NEUTRAL_CWD }, (error) => resolve(!error));
  });
}

/**
 * The interpreter of the built-in `local` target when porta.toml names none: the first of $PORTA_PYTHON, the
 * `python3` on PATH and Debian's /usr/bin/python3 that has torch, else `python3`. Machines often carry several
 * Pythons (pyenv shims first on PATH, torch only in the system one), and a run with no configuration should
 * find the one that can run model code.
 */
export function defaultLocalPython(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  cached ??= (async () => {
    const candidates = [...new Set([env.PORTA_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c))];
    for (const candidate of candidates) if (await hasTorch(candidate)) return candidate;
    return candidates[0];
  })();
  return cached;
}

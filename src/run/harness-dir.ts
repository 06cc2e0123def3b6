import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The folder holding porta_harness.py (and the porta_shim package beside it): src/run/harness when running
 * from source, dist/harness in the bundles (esbuild.mjs copies it there). PORTA_HARNESS_DIR overrides.
 */
export function harnessDir(): string {
  const candidates = [process.env.PORTA_HARNESS_DIR, join(__dirname, 'harness'), join(__dirname, '..', 'harness'), join(__dirname, 'run', 'harness')];
  for (const dir of candidates) if (dir && existsSync(join(dir, 'porta_harness.py'))) return dir;
  throw new Error(`the Porta harness (porta_harness.py) was not found near ${__dirname}`);
}

/**
 * hipify's own FileCheck suite (../shared/reference/hipify/tests/unit_tests) as data: which inputs it has, which
 * hipify options each RUN: line asks for, and the Porta options that match them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HipifyOptions } from '../../../../src/core/cuda';

export const REPO = path.resolve(__dirname, '../../../..');
export const SUITE = path.resolve(REPO, '..', 'shared', 'reference', 'hipify', 'tests', 'unit_tests');

export interface SuiteInput {
  /** Path relative to the suite root, e.g. "synthetic/libraries/cublas2rocblas.cu". */
  name: string;
  file: string;
  /** The hipify options of its RUN: line. */
  flags: string[];
}

/** Every input with a RUN: line and at least one CHECK, sorted by name. */
export function suiteInputs(): SuiteInput[] {
  const out: SuiteInput[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const text = fs.readFileSync(full, 'latin1');
        const run = /\/\/ RUN: (.*)/.exec(text);
        if (run && /\/\/\s*CHECK(-NEXT)?:/.test(text)) out.push({ name: path.relative(SUITE, full).split(path.sep).join('/'), file: full, flags: run[1].split(/\s+/).filter((f) => f.startsWith('-')) });
      }
    }
  };
  walk(SUITE);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** hipify option → Porta option (those that change the expected text). */
export function portaOptions(flags: string[]): HipifyOptions {
  // hipify adds the HIP runtime include nvcc implied to every file; Porta does it on request.
  const options: HipifyOptions = { runtimeInclude: true };
  if (flags.includes('--roc') || flags.includes('-roc')) options.hipLibrary = 'roc';
  if (flags.includes('--miopen')) options.dnn = 'miopen';
  if (flags.includes('--hip-kernel-execution-syntax') && !flags.includes('--cuda-kernel-execution-syntax')) options.kernelLaunch = 'hipLaunchKernelGGL';
  return options;
}

/** The flags as `porta fix` takes them. */
export function portaFlags(options: HipifyOptions): string[] {
  return [...(options.hipLibrary === 'roc' ? ['--hip-library', 'roc'] : []), ...(options.kernelLaunch === 'hipLaunchKernelGGL' ? ['--hip-launch', 'hipLaunchKernelGGL'] : []), ...(options.dnn === 'miopen' ? ['--hip-dnn', 'miopen'] : []), ...(options.runtimeInclude ? ['--hip-runtime-include'] : [])];
}

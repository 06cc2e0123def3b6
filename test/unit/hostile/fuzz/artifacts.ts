import * as fs from 'node:fs';
import * as path from 'node:path';
import { KINDS, type Failure, type FuzzCase, type Kind } from './cases';
import { REPO } from './corpus';

/** Where failing cases are written: each file replays with PORTA_FUZZ_REPLAY=FILE. */
export const RESULTS = path.join(REPO, 'test-results', 'fuzz');

/** A failing case as saved: the minimal input (the case's `text`), what failed, and the input before minimisation. */
export interface SavedFailure {
  fuzzCase: FuzzCase;
  failures: Failure[];
  original?: string;
}

export function saveFailure(saved: SavedFailure): string {
  fs.mkdirSync(RESULTS, { recursive: true });
  const { fuzzCase } = saved;
  const file = path.join(RESULTS, `${fuzzCase.kind}-${fuzzCase.seed ?? 'replay'}-${saved.failures[0]?.check ?? 'ok'}.json`);
  fs.writeFileSync(file, JSON.stringify(saved, null, 1) + '\n');
  return file;
}

/** The kind of a file from its name, for replaying a plain input file. */
export function kindOf(name: string): Kind | undefined {
  const base = path.basename(name);
  if (/\.ipynb$/i.test(base)) return 'notebook';
  if (/\.(cu|cuh|cpp|cc|cxx|h|hpp)$/i.test(base)) return 'cuda';
  if (/^requirements.*\.txt$/i.test(base)) return 'requirements';
  if (base === 'pyproject.toml') return 'pyproject';
  if (/^environment.*\.ya?ml$/i.test(base)) return 'environment';
  if (base === 'setup.py') return 'setup.py';
  if (/^Dockerfile/.test(base)) return 'docker';
  if (/\.(sh|bash)$/i.test(base)) return 'shell';
  if (/\.py$/i.test(base)) return 'python';
  return undefined;
}

/**
 * A case to replay: a saved failure (JSON with `fuzzCase`), or any input file, analysed under its own name with
 * the fix target from PORTA_FUZZ_TARGET (default auto; hip for CUDA C++).
 */
export function loadReplay(file: string): FuzzCase {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.json')) {
    try {
      const saved = JSON.parse(text) as Partial<SavedFailure>;
      if (saved.fuzzCase && typeof saved.fuzzCase.text === 'string' && KINDS.includes(saved.fuzzCase.kind)) return saved.fuzzCase;
    } catch {
      // not a saved case: replayed as a plain file below
    }
  }
  const kind = kindOf(file);
  if (!kind) throw new Error(`${file}: not a saved fuzz case, and its name is not a file kind Porta analyses`);
  const target = (process.env.PORTA_FUZZ_TARGET ?? (kind === 'cuda' ? 'hip' : 'auto')) as FuzzCase['target'];
  return { kind, path: `replay/${path.basename(file)}`, text, target, unsafe: process.env.PORTA_FUZZ_UNSAFE === '1' };
}

/** The failure as the test prints it: seed, checks, and the minimal input (shortened when very long). */
export function formatFailure(saved: SavedFailure, file: string): string {
  const { fuzzCase } = saved;
  const input = fuzzCase.text.length > 2000 ? `${JSON.stringify(fuzzCase.text.slice(0, 2000))} ... (${fuzzCase.text.length} chars)` : JSON.stringify(fuzzCase.text);
  return [
    `${fuzzCase.kind} ${fuzzCase.path} (case seed ${fuzzCase.seed ?? '-'}, run seed ${fuzzCase.runSeed ?? '-'}, case ${fuzzCase.index ?? '-'}; target ${fuzzCase.target}${fuzzCase.unsafe ? ', unsafe' : ''}${fuzzCase.torchVersion ? `, torch ${fuzzCase.torchVersion}` : ''})`,
    ...saved.failures.map((failure) => `  ${failure.check}: ${failure.message.replace(/\n/g, '\n    ')}`),
    `  minimal input: ${input}`,
    `  replay: PORTA_FUZZ_REPLAY=${path.relative(REPO, file)} npx mocha test/unit/hostile/fuzz.test.ts`,
  ].join('\n');
}

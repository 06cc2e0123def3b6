import * as fs from 'node:fs';
import * as path from 'node:path';
import { BACKENDS } from '../../../../src/core/targets';
import type { FixTarget } from '../../../../src/core/fix/types';
import { KINDS, type FuzzCase, type Kind } from './cases';
import { mutateText } from './mutate';
import { mutateNotebook, notebookFromPython } from './notebook';
import { Random } from './random';

export const REPO = path.resolve(__dirname, '../../../..');

/** A fixture the fuzz test starts from: its file name (which picks the analyzer) and text. */
export interface Seed {
  name: string;
  text: string;
}

function filesIn(folder: string, test: (name: string) => boolean): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (test(entry.name)) out.push(full);
    }
  };
  visit(path.join(REPO, folder));
  return out;
}

function seedsFrom(files: string[]): Seed[] {
  return files.map((file) => ({ name: path.basename(file), text: fs.readFileSync(file, 'utf8') }));
}

/** Every fixture of every kind, in a fixed order (the order is part of what a seed reproduces). */
export function loadSeeds(): Record<Kind, Seed[]> {
  const python = seedsFrom([
    ...filesIn('test/fixtures/python', (name) => name.endsWith('.py')),
    ...filesIn('test/fixtures/fix', (name) => name.endsWith('.in.py')),
    ...filesIn('examples', (name) => name.endsWith('.py') && name !== 'setup.py'),
  ]);
  const notebooks = [
    ...seedsFrom([...filesIn('test/fixtures/runnable', (name) => name.endsWith('.ipynb')), ...filesIn('examples', (name) => name.endsWith('.ipynb'))]),
    ...python.filter((_, i) => i % 4 === 0).map((seed) => ({ name: seed.name.replace(/(\.in)?\.py$/, '.ipynb'), text: notebookFromPython(seed.text) })),
  ];
  const env = (test: (name: string) => boolean): Seed[] => seedsFrom([...filesIn('test/fixtures/env', test), ...filesIn('examples', test)]);
  return {
    python,
    notebook: notebooks,
    cuda: seedsFrom([...filesIn('test/fixtures/cuda', (name) => name.endsWith('.cu')), ...filesIn('examples/cuda-extension', (name) => /\.(cu|cuh|cpp)$/.test(name))]),
    requirements: env((name) => /^requirements.*\.txt$/.test(name)),
    pyproject: env((name) => name === 'pyproject.toml'),
    environment: env((name) => /^environment.*\.ya?ml$/.test(name)),
    'setup.py': env((name) => name === 'setup.py'),
    docker: env((name) => name === 'Dockerfile'),
    shell: env((name) => name.endsWith('.sh')),
  };
}

const PYTHON_TARGETS: FixTarget[] = ['auto', ...BACKENDS];
const TORCH_VERSIONS = [undefined, '1.13', '2.4.1', '2.9'];

/** What `porta fix` reads a file as: text decoded from UTF-8 (a lone surrogate cannot come from a file). */
function asFileText(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** Case `index` of a run: a fixture of `kind`, mutated, with random fix options. Same arguments, same case. */
export function makeCase(seeds: Record<Kind, Seed[]>, kind: Kind, seed: number): FuzzCase {
  const random = new Random(seed);
  const own = seeds[kind];
  if (own.length === 0) throw new Error(`no fixtures of kind ${kind}`);
  const start = random.pick(own);
  const donors = KINDS.flatMap((k) => seeds[k].map((s) => s.text));
  const text = kind === 'notebook' ? mutateNotebook(start.text, random, donors) : mutateText(start.text, random, donors);
  return {
    kind,
    path: `fuzz/${start.name}`,
    text: asFileText(text),
    before: start.text,
    target: kind === 'cuda' ? random.pick<FixTarget | 'hip'>(['hip', 'hip', 'hip', 'rocm', 'auto']) : random.pick(PYTHON_TARGETS),
    unsafe: random.chance(0.5),
    torchVersion: random.pick(TORCH_VERSIONS),
    seed,
  };
}

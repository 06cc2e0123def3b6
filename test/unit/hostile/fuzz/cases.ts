import type { FixTarget } from '../../../../src/core/fix/types';

/** The file kinds Porta analyses, each fuzzed from its own fixtures. */
export const KINDS = ['python', 'notebook', 'cuda', 'requirements', 'pyproject', 'environment', 'setup.py', 'docker', 'shell'] as const;
export type Kind = (typeof KINDS)[number];

/** One fuzz input: everything needed to run (and replay) it. */
export interface FuzzCase {
  kind: Kind;
  /** The file name the analyzer sees (it picks the analyzer by name). */
  path: string;
  text: string;
  /** The fixture before mutation: the editor check opens it and edits it into `text`. */
  before?: string;
  /** `porta fix --target`; `hip` is the CUDA C++ → HIP conversion. */
  target: FixTarget | 'hip';
  unsafe: boolean;
  torchVersion?: string;
  /** The run seed and case index that produced it, when it came from a run (informational). */
  seed?: number;
  runSeed?: number;
  index?: number;
}

export type Check = 'crash' | 'hang' | 'idempotent' | 'parse' | 'python-ast' | 'edits' | 'document';

/** A property the case broke. `check` is what minimisation keeps constant. */
export interface Failure {
  check: Check;
  message: string;
}

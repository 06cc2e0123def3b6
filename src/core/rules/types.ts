import type { Rule, Severity } from '../model';
import { BACKENDS, type Verdict, type VerdictTable } from '../targets';

/** A catalogue entry: the model's Rule plus the portable form we recommend (shown in docs and hovers). */
export interface RuleDef extends Rule {
  portable: string;
  /** A short example of the flagged construct, for the docs page. */
  example: string;
}

/** Python API patterns: a qualified name (exact) or a prefix ending in ".*" mapped to a rule id. */
export interface ApiPattern {
  name: string;
  rule: string;
}

/** Python modules whose import alone is the finding (CUDA-only libraries). Matches the module and its submodules. */
export interface ModulePattern {
  module: string;
  rule: string;
}

/** Verdicts in BACKENDS order (cuda rocm npu xpu mps cpu), written as one space-separated string for readability. */
export function verdicts(spec: string): VerdictTable {
  const parts = spec.trim().split(/\s+/) as Verdict[];
  if (parts.length !== BACKENDS.length) throw new Error(`verdict spec needs ${BACKENDS.length} entries: ${spec}`);
  const table = {} as VerdictTable;
  BACKENDS.forEach((backend, i) => (table[backend] = parts[i]));
  return table;
}

export interface RuleInput {
  id: string;
  title: string;
  rationale: string;
  portable: string;
  example: string;
  severity: Severity;
  /** cuda rocm npu xpu mps cpu */
  verdicts: string;
  fixable?: boolean;
}

export function defineRules(family: string, inputs: RuleInput[]): RuleDef[] {
  return inputs.map((input) => ({
    id: input.id,
    family,
    title: input.title,
    rationale: input.rationale,
    portable: input.portable,
    example: input.example,
    severity: input.severity,
    targets: verdicts(input.verdicts),
    fixable: input.fixable ?? false,
    docs: `docs/rules/${input.id}.md`,
  }));
}

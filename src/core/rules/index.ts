import type { RuleDef, ApiPattern, ModulePattern } from './types';
import * as device from './pytorch-device';
import * as cuda from './pytorch-cuda';
import * as amp from './pytorch-amp';
import * as backends from './pytorch-backends';
import * as types from './pytorch-types';
import * as probe from './pytorch-probe';
import * as environment from './environment';
import * as tools from './tools';
import * as libraries from './libraries';
import * as frameworks from './frameworks';
import * as files from './environment-files';
import { CUDA_RULES } from '../cuda/rules';

export type { RuleDef, ApiPattern, ModulePattern } from './types';
export { envRule } from './environment';
export { TENSOR_TYPES } from './pytorch-types';

/** The whole catalogue, in display order. Ids are stable: never renumber a published id. */
export const RULES: readonly RuleDef[] = [
  ...device.rules,
  ...cuda.rules,
  ...amp.rules,
  ...backends.rules,
  ...types.rules,
  ...probe.rules,
  ...environment.rules,
  ...tools.rules,
  ...libraries.rules,
  ...frameworks.rules,
  ...files.rules,
];

/** CUDA C++ rules (CU-*) come from the CUDA analyzer's catalogue; included so hovers and reports can look them up. */
const CUDA_RULE_DEFS: readonly RuleDef[] = CUDA_RULES.map((rule) => ({ ...rule, portable: '', example: '' }));

const byId = new Map([...RULES, ...CUDA_RULE_DEFS].map((rule) => [rule.id, rule]));

export function getRule(id: string): RuleDef | undefined {
  return byId.get(id);
}

/** Whether a select/ignore/severity pattern names a rule or an id prefix ("PT-DEV", "PT-DEV-", "CU"): a typo matches nothing. */
export function isKnownRulePattern(pattern: string): boolean {
  if (byId.has(pattern)) return true;
  const prefix = pattern.endsWith('-') ? pattern : `${pattern}-`;
  return [...byId.keys()].some((id) => id.startsWith(prefix));
}

/** Qualified-name patterns, most specific first: exact names, then prefixes by length. */
export const API_PATTERNS: readonly ApiPattern[] = [
  ...amp.apis,
  ...backends.apis,
  ...types.apis,
  ...probe.apis,
  ...tools.apis,
  ...libraries.apis,
  ...frameworks.apis,
  ...cuda.apis,
].sort((a, b) => {
  const aPrefix = a.name.endsWith('.*');
  const bPrefix = b.name.endsWith('.*');
  if (aPrefix !== bPrefix) return aPrefix ? 1 : -1;
  return b.name.length - a.name.length;
});

const exactApis = new Map<string, string>();
for (const p of API_PATTERNS) if (!p.name.endsWith('.*') && !exactApis.has(p.name)) exactApis.set(p.name, p.rule);
const prefixApis = API_PATTERNS.filter((p) => p.name.endsWith('.*')).map((p) => ({ prefix: p.name.slice(0, -1), rule: p.rule }));

/** The rule for a fully qualified Python name (after alias resolution), if any. */
export function ruleForQualifiedName(name: string): string | undefined {
  const exact = exactApis.get(name);
  if (exact) return exact;
  for (const { prefix, rule } of prefixApis) if (name.startsWith(prefix)) return rule;
  return undefined;
}

export const MODULE_PATTERNS: readonly ModulePattern[] = [...tools.modules, ...libraries.modules];

/** The rule for importing a module (or a submodule of a flagged module). */
export function ruleForModule(module: string): string | undefined {
  for (const p of MODULE_PATTERNS) if (module === p.module || module.startsWith(p.module + '.')) return p.rule;
  return undefined;
}

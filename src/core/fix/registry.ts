import type { FixProvider } from './types';
import { pythonFixProvider, PYTHON_FIXABLE_RULES } from './python/provider';

/** Fix providers by rule id. Rewrite modules register themselves here; the analyzer looks them up per match. */
const providers = new Map<string, FixProvider>();

export function registerFixProvider(ruleId: string, provider: FixProvider): void {
  providers.set(ruleId, provider);
}

export function getFixProvider(ruleId: string): FixProvider | undefined {
  return providers.get(ruleId);
}

/** Rule ids that have a fix provider. */
export function fixableRuleIds(): string[] {
  return [...providers.keys()].sort();
}

for (const ruleId of PYTHON_FIXABLE_RULES) registerFixProvider(ruleId, pythonFixProvider);

import type { FixProvider } from './types';

/** Fix providers by rule id. Rewrite modules register themselves here; the analyzer looks them up per match. */
const providers = new Map<string, FixProvider>();

export function registerFixProvider(ruleId: string, provider: FixProvider): void {
  providers.set(ruleId, provider);
}

export function getFixProvider(ruleId: string): FixProvider | undefined {
  return providers.get(ruleId);
}

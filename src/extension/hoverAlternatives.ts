import type { Finding } from '../core/model';
import { alternativeLines } from '../core/rules/packageAlternatives';
import { isBackend } from '../core/targets';

/** Markdown characters in catalogue text that would otherwise format the hover. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|]/g, (c) => `\\${c}`);
}

/** The hover's "Instead" part for a CUDA-only package: one bullet per target of interest, or '' (no vscode here). */
export function alternativesMarkdown(finding: Pick<Finding, 'rule' | 'message'>, targetsOfInterest: readonly string[]): string {
  const lines = alternativeLines(finding.rule, finding.message, targetsOfInterest.filter(isBackend));
  return lines.length ? `**Instead:**\n\n${lines.map((l) => `- ${escape(l)}`).join('\n')}\n\n` : '';
}

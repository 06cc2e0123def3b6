import type { Rule } from '../model';
import { BACKENDS, BACKEND_LABELS } from '../targets';
import type { RuleDef } from './types';

/** Renders the docs pages under docs/rules/ from the catalogue, so pages and rules cannot drift apart. */

const VERDICT_TEXT: Record<string, string> = {
  ok: 'ok — works unchanged',
  shim: 'shim — works through a runtime shim (Porta\'s, or Ascend\'s transfer_to_npu)',
  degraded: 'degraded — runs, but slower, less accurate or silently on the CPU',
  breaks: 'breaks — fails or does the wrong thing',
};

export function renderRuleDoc(rule: RuleDef): string {
  const lines = [
    `# ${rule.id}: ${rule.title}`,
    '',
    `Family: \`${rule.family}\` · default severity: **${rule.severity}** · automatic fix: ${rule.fixable ? 'yes (`porta fix`, editor quick fix)' : 'no'}`,
    '',
    '## Why',
    '',
    rule.rationale,
    '',
    '## Flagged',
    '',
    '```',
    rule.example,
    '```',
    '',
    '## Portable form',
    '',
    rule.portable,
    '',
    '## Per-target verdict',
    '',
    '| target | verdict |',
    '|---|---|',
    ...BACKENDS.map((b) => `| ${BACKEND_LABELS[b]} | ${VERDICT_TEXT[rule.targets[b]]} |`),
    '',
    '## Suppressing',
    '',
    `Add \`# porta: ignore[${rule.id}]\` at the end of the line, \`# porta: ignore-file[${rule.id}]\` anywhere in the file, or list \`"${rule.id}"\` under \`ignore\` in \`porta.toml\` (\`[scan]\`) / \`[tool.porta]\` in pyproject.toml.`,
    '',
  ];
  return lines.join('\n');
}

export function renderRulesIndex(rules: readonly RuleDef[], cudaRules: readonly Rule[]): string {
  const row = (r: Rule) => `| [${r.id}](${r.id}.md) | ${r.title.replace(/\|/g, '\\|')} | ${r.severity} | ${BACKENDS.map((b) => short(r.targets[b])).join(' ')} | ${r.fixable ? 'yes' : ''} |`;
  const header = ['| rule | title | severity | cuda rocm npu xpu mps cpu | fix |', '|---|---|---|---|---|'];
  return [
    '# Porta rules',
    '',
    'Every finding names a rule. Ids are stable and grouped by family; each page explains why the construct is a',
    'portability problem, the verdict per target and the portable form.',
    '',
    'Verdict letters: **o** ok · **s** shim · **d** degraded · **B** breaks.',
    '',
    '## Python, notebooks and environment',
    '',
    ...header,
    ...rules.map(row),
    '',
    '## CUDA C++ (CU-*)',
    '',
    ...header,
    ...cudaRules.map(row),
    '',
  ].join('\n');
}

function short(verdict: string): string {
  return verdict === 'ok' ? 'o' : verdict === 'shim' ? 's' : verdict === 'degraded' ? 'd' : 'B';
}

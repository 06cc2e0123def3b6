import type { Rule } from '../model';
import { BACKENDS, BACKEND_LABELS } from '../targets';
import type { RuleDef } from './types';
import { OTHER_TARGETS, PACKAGE_ALTERNATIVES } from './packageAlternatives';

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
    ...alternativesSection(rule),
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

const KIND_TEXT = { 'same-package': 'the package itself', substitute: 'substitute', none: 'none' } as const;

/** Per target, what replaces each CUDA-only package this rule reports, with the pages it comes from. */
export function alternativesSection(rule: RuleDef): string[] {
  const entries = PACKAGE_ALTERNATIVES.filter((p) => p.rule === rule.id || (rule.id === 'REQ-005' && p.requirement));
  if (entries.length === 0) return [];
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = ['## Alternatives per target', ''];
  if (rule.id === 'REQ-005') lines.push('For the packages the catalogue knows. A finding for one of them takes the verdicts of its import rule, named in each heading; other packages keep the verdicts below.', '');
  for (const entry of entries) {
    if (entries.length > 1 || rule.id === 'REQ-005') lines.push(`### ${entry.package} (${entry.rule})`, '');
    lines.push('| target | kind | use | sources |', '|---|---|---|---|');
    for (const target of OTHER_TARGETS) {
      const alt = entry.targets[target];
      const sources = alt.sources.map((url, i) => `[${i + 1}](${url})`).join(' ');
      lines.push(`| ${BACKEND_LABELS[target]} | ${KIND_TEXT[alt.kind]} | ${cell(alt.text)}${alt.verified ? '' : ' *(unverified)*'} | ${sources} |`);
    }
    lines.push('');
  }
  return lines;
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

import { getRule } from '../rules';
import { BACKENDS, BACKEND_LABELS, type Backend } from '../targets';
import { buildReadiness } from './readiness';
import { summarize } from './summary';
import type { ScanResult } from './types';
import { verdictSummary } from './verdicts';
import { printable } from '../printable';
import { OTHER_TARGETS, packageOfFinding, type PackageAlternatives } from '../rules/packageAlternatives';

// Control characters from paths and code are escaped too: a report is often read in a terminal first.
const cell = (s: string) => printable(s.replace(/\n/g, ' ')).replace(/\|/g, '\\|');

/** A report to paste into a pull request or issue. */
export function formatMarkdown(scan: ScanResult, targets: readonly Backend[] = BACKENDS): string {
  const s = summarize(scan);
  const out: string[] = ['# Porta portability report', ''];
  out.push(`${s.findings} findings in ${s.filesWithFindings} of ${s.files} files (${s.lines} lines scanned); ${s.fixable} have an automatic fix.`, '');
  out.push('## Target readiness', '', '| target | status | blockers | degraded | guarded | shim | fixable | effort | top blockers |', '|---|---|---:|---:|---:|---:|---:|---|---|');
  for (const e of buildReadiness(scan.findings, targets)) {
    const effort = e.effort.level === 'none' ? 'none' : `${e.effort.level} (~${e.effort.hours} h)`;
    out.push(`| ${e.label} | ${e.status} | ${e.blockers} | ${e.degraded} | ${e.guarded} | ${e.shimmed} | ${e.fixable} | ${effort} | ${e.topBlockers.map((b) => `${b.rule} ×${b.count}`).join(', ')} |`);
  }
  out.push('');
  if (scan.findings.length > 0) {
    out.push('## Findings', '', '| location | rule | severity | message | verdict | fix |', '|---|---|---|---|---|---|');
    for (const f of scan.findings) {
      const where = `${f.path}${f.cell !== undefined ? ` (cell ${f.cell + 1})` : ''}:${f.range.start.line}:${f.range.start.column}`;
      const docs = getRule(f.rule)?.docs;
      const rule = docs ? `[${f.rule}](${docs})` : f.rule;
      out.push(`| \`${cell(where)}\` | ${rule} | ${f.severity} | ${cell(f.message)} | ${cell(verdictSummary(f, targets))} | ${f.fix ? (f.fix.safe ? 'yes' : 'unsafe') : ''} |`);
    }
    out.push('');
  }
  out.push(...alternativesSection(scan, targets));
  if (scan.notes.length > 0) {
    out.push('## Notes', '');
    for (const n of scan.notes) out.push(`- \`${printable(n.path)}\` (${n.kind}): ${printable(n.message)}`);
    out.push('');
  }
  return out.join('\n');
}

/** Once per CUDA-only package the findings name: what each target of interest uses instead, with the sources. */
function alternativesSection(scan: ScanResult, targets: readonly Backend[]): string[] {
  const packages = new Set<PackageAlternatives>();
  for (const f of scan.findings) {
    const entry = f.guard ? undefined : packageOfFinding(f.rule, f.message);
    if (entry) packages.add(entry);
  }
  const shown = OTHER_TARGETS.filter((t) => targets.includes(t));
  if (packages.size === 0 || shown.length === 0) return [];
  const out = ['## Instead of CUDA-only packages', '', '| package | target | use | sources |', '|---|---|---|---|'];
  for (const entry of packages) {
    for (const target of shown) {
      const alt = entry.targets[target];
      const sources = alt.sources.map((url, i) => `[${i + 1}](${url})`).join(' ');
      out.push(`| ${entry.package} | ${BACKEND_LABELS[target]} | ${alt.kind === 'none' ? 'nothing: ' : ''}${cell(alt.text)}${alt.verified ? '' : ' *(unverified)*'} | ${sources} |`);
    }
  }
  out.push('');
  return out;
}

import { getRule } from '../rules';
import { BACKENDS, type Backend } from '../targets';
import { buildReadiness } from './readiness';
import { summarize } from './summary';
import type { ScanResult } from './types';
import { verdictSummary } from './verdicts';
import { printable } from '../printable';

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
  if (scan.notes.length > 0) {
    out.push('## Notes', '');
    for (const n of scan.notes) out.push(`- \`${printable(n.path)}\` (${n.kind}): ${printable(n.message)}`);
    out.push('');
  }
  return out.join('\n');
}

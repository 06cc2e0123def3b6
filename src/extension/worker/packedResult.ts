/**
 * Analysis results in columns for the trip from the analysis worker to the extension host (no vscode here). A
 * structured clone copies every finding's strings and objects anew (a 5,000-line CUDA-heavy file: ~450 KB, several ms
 * to deserialise on the host's thread on each keystroke); here paths, rules, messages and verdict tables go into
 * tables once and positions into one Int32Array.
 */
import type { AnalysisResult, Finding, FileNote, RelatedLocation } from '../../core/model';
import { BACKENDS, type VerdictTable } from '../../core/targets';

interface PackedFix {
  title: string;
  safe: boolean;
  edits: Array<[start: number, end: number, text: number]>;
}

/** Per finding: path, rule, severity, message, targets (table indices), start line/column, end line/column, cell (-1: none). */
const COLUMNS = 10;

export interface PackedResult {
  strings: string[];
  targets: VerdictTable[];
  table: Int32Array;
  /**
   * Fixes and related locations, by finding index (none in live typing, where fixes are left out). Fix edits are
   * [start, end, index of the text in `strings`]: every fix of a file repeats the same support code.
   */
  extras: Array<[number, { fix?: PackedFix; related?: RelatedLocation[] }]>;
  notes: FileNote[];
}

export function packResult(result: AnalysisResult): PackedResult {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (text: string): number => {
    let i = stringIndex.get(text);
    if (i === undefined) {
      i = strings.length;
      strings.push(text);
      stringIndex.set(text, i);
    }
    return i;
  };
  const targets: VerdictTable[] = [];
  // Findings may carry their own copies of their rule's verdicts: intern by identity, then by content.
  const byObject = new Map<VerdictTable, number>();
  const byContent = new Map<string, number>();
  const internTargets = (table: VerdictTable): number => {
    let i = byObject.get(table);
    if (i !== undefined) return i;
    let key = '';
    for (const backend of BACKENDS) key += table[backend] + ';';
    i = byContent.get(key);
    if (i === undefined) {
      i = targets.length;
      targets.push(table);
      byContent.set(key, i);
    }
    byObject.set(table, i);
    return i;
  };
  const table = new Int32Array(result.findings.length * COLUMNS);
  const extras: PackedResult['extras'] = [];
  result.findings.forEach((f, n) => {
    const at = n * COLUMNS;
    table[at] = intern(f.path);
    table[at + 1] = intern(f.rule);
    table[at + 2] = intern(f.severity);
    table[at + 3] = intern(f.message);
    table[at + 4] = internTargets(f.targets);
    table[at + 5] = f.range.start.line;
    table[at + 6] = f.range.start.column;
    table[at + 7] = f.range.end.line;
    table[at + 8] = f.range.end.column;
    table[at + 9] = f.cell ?? -1;
    if (!f.fix && !f.related) return;
    const extra: PackedResult['extras'][number][1] = {};
    if (f.fix) extra.fix = { title: f.fix.title, safe: f.fix.safe, edits: f.fix.edits.map((e) => [e.start, e.end, intern(e.text)]) };
    if (f.related) extra.related = f.related;
    extras.push([n, extra]);
  });
  return { strings, targets, table, extras, notes: result.notes };
}

export function unpackResult(packed: PackedResult): AnalysisResult {
  const { strings, targets, table } = packed;
  const findings: Finding[] = new Array(table.length / COLUMNS);
  for (let n = 0, at = 0; at < table.length; n++, at += COLUMNS) {
    const finding: Finding = {
      path: strings[table[at]!]!,
      rule: strings[table[at + 1]!]!,
      severity: strings[table[at + 2]!]! as Finding['severity'],
      message: strings[table[at + 3]!]!,
      range: { start: { line: table[at + 5]!, column: table[at + 6]! }, end: { line: table[at + 7]!, column: table[at + 8]! } },
      targets: targets[table[at + 4]!]!,
    };
    if (table[at + 9]! >= 0) finding.cell = table[at + 9]!;
    findings[n] = finding;
  }
  for (const [n, extra] of packed.extras) {
    const { fix, related } = extra;
    if (fix) findings[n]!.fix = { title: fix.title, safe: fix.safe, edits: fix.edits.map(([start, end, text]) => ({ start, end, text: strings[text]! })) };
    if (related) findings[n]!.related = related;
  }
  return { findings, notes: packed.notes };
}

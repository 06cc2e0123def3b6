import type { Finding, Severity } from '../model';
import { RULES, getRule } from '../rules';
import type { ScanResult } from './types';
import { alternativesSection } from '../rules/docs';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
const INFO_URI = 'https://example.invalid/porta';

function uri(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '');
}

/** SARIF 2.1.0 for code-scanning services. Notebook findings point at the raw .ipynb line of the cell's source. */
export function formatSarif(scan: ScanResult, version = 'dev'): string {
  const used = [...new Set(scan.findings.map((f) => f.rule))];
  const rules = RULES.filter((r) => used.includes(r.id));
  const unknown = used.filter((id) => !getRule(id));
  const driverRules = [
    ...rules.map((r) => ({
      id: r.id,
      name: r.id.replace(/-/g, ''),
      shortDescription: { text: r.title.replace(/`/g, '') },
      fullDescription: { text: r.rationale },
      help: { text: `${r.rationale}\nPortable form: ${r.portable}`, markdown: [`${r.rationale}\n\n**Portable form:** ${r.portable}`, ...alternativesSection(r)].join('\n\n').trimEnd() },
      helpUri: `${INFO_URI}/blob/main/${r.docs}`,
      defaultConfiguration: { level: LEVEL[r.severity] },
      properties: { family: r.family, targets: r.targets, fixable: r.fixable },
    })),
    ...unknown.map((id) => ({ id, shortDescription: { text: id } })),
  ];
  const ruleIndex = new Map(driverRules.map((r, i) => [r.id, i]));
  const results = scan.findings.map((f) => result(f, ruleIndex.get(f.rule) ?? -1));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'porta', informationUri: INFO_URI, version, rules: driverRules } },
        results,
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: scan.notes.map((n) => ({
              level: n.kind === 'syntax-error' ? 'warning' : 'note',
              message: { text: `${n.kind}: ${n.message}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: uri(n.path) } } }],
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** Guarded findings are notes whatever the rule's level: code-scanning services then keep them out of "errors". */
function guardProperties(f: Finding) {
  return f.guard ? { 'porta/verdict': 'guarded', 'porta/guard': f.guard.reason } : {};
}

function result(f: Finding, ruleIndex: number) {
  const range = f.cell !== undefined && f.related?.[0] ? f.related[0].range : f.range;
  const region = f.cell !== undefined ? { startLine: range.start.line } : { startLine: range.start.line, startColumn: range.start.column, endLine: range.end.line, endColumn: range.end.column };
  return {
    ruleId: f.rule,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: f.guard ? 'note' : LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: uri(f.path) }, region } }],
    properties: { targets: f.targets, ...(f.cell !== undefined ? { cell: f.cell, cellRange: f.range } : {}), fixable: !!f.fix, ...guardProperties(f) },
    ...(f.fix && f.cell === undefined
      ? {
          fixes: [
            {
              description: { text: `${f.fix.title}${f.fix.safe ? '' : ' (unsafe: may change behaviour)'}` },
              artifactChanges: [
                {
                  artifactLocation: { uri: uri(f.path) },
                  replacements: f.fix.edits.map((e) => ({ deletedRegion: { charOffset: e.start, charLength: e.end - e.start }, insertedContent: { text: e.text } })),
                },
              ],
            },
          ],
        }
      : {}),
  };
}

import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Finding, Rule, Severity } from '../core/model';
import type { SnapshotMap } from './textMap';
import { toVsRange } from './textMap';
import { ruleEnabled, severityFor, type PortaSettings } from './settings';
import { guardedSeverity } from '../core/guarded';

export const DIAGNOSTIC_SOURCE = 'Porta';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** A diagnostic and the finding it came from (VS Code's Diagnostic has no `data` slot; we keep the pair). */
export interface Located {
  uri: vscode.Uri;
  diagnostic: vscode.Diagnostic;
  finding: Finding;
}

export function docsUri(extensionUri: vscode.Uri, ruleId: string, rule: Rule | undefined): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, rule?.docs ?? `docs/rules/${ruleId}.md`);
}

function relatedUri(finding: Finding, relatedPath: string, fallback: vscode.Uri): vscode.Uri {
  if (relatedPath === finding.path) return fallback;
  if (path.isAbsolute(relatedPath)) return vscode.Uri.file(relatedPath);
  const folder = vscode.workspace.getWorkspaceFolder(fallback);
  return folder ? vscode.Uri.joinPath(folder.uri, relatedPath) : fallback;
}

/** Converts findings to diagnostics, applying select/ignore and severity overrides from settings. */
export function toDiagnostics(
  findings: readonly Finding[],
  map: SnapshotMap,
  settings: PortaSettings,
  rules: (id: string) => Rule | undefined,
  extensionUri: vscode.Uri,
): Located[] {
  const out: Located[] = [];
  // Per rule, once per call: thousands of findings share a handful of rules.
  const perRule = new Map<string, { code: { value: string; target: vscode.Uri }; deprecated: boolean }>();
  for (const finding of findings) {
    if (!ruleEnabled(finding.rule, settings.select, settings.ignore)) continue;
    const configured = severityFor(finding.rule, finding.severity, settings.severity);
    if (configured === 'off') continue;
    const severity = finding.guard ? guardedSeverity(configured) : configured;
    const where = map.locate(finding.range, finding.cell);
    if (!where) continue;
    let meta = perRule.get(finding.rule);
    if (!meta) {
      const rule = rules(finding.rule);
      meta = { code: { value: finding.rule, target: docsUri(extensionUri, finding.rule, rule) }, deprecated: /deprecated/i.test(rule?.title ?? '') };
      perRule.set(finding.rule, meta);
    }
    const diagnostic = new vscode.Diagnostic(where.range, finding.message, SEVERITY[severity]);
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = meta.code;
    // Deprecated APIs (torch.cuda.amp.*) render struck through, as Pylance does.
    if (meta.deprecated || /deprecated/i.test(finding.message)) diagnostic.tags = [vscode.DiagnosticTag.Deprecated];
    if (finding.related?.length) {
      diagnostic.relatedInformation = finding.related.map((r) => {
        const sameFile = r.path === finding.path ? map.locate(r.range, finding.cell) : undefined;
        const location = sameFile
          ? new vscode.Location(sameFile.uri, sameFile.range)
          : new vscode.Location(relatedUri(finding, r.path, where.uri), toVsRange(r.range));
        return new vscode.DiagnosticRelatedInformation(location, r.message);
      });
    }
    out.push({ uri: where.uri, diagnostic, finding });
  }
  return out;
}

/** Same diagnostic as VS Code hands back to code-action providers (it copies, so identity is lost). */
export function sameDiagnostic(a: vscode.Diagnostic, b: vscode.Diagnostic): boolean {
  const code = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);
  return a.range.isEqual(b.range) && a.message === b.message && code(a) === code(b);
}

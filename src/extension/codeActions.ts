import * as vscode from 'vscode';
import type { Fix } from '../core/model';
import type { LiveDiagnostics } from './liveDiagnostics';
import type { PortaServices } from './services';
import { DIAGNOSTIC_SOURCE, sameDiagnostic, type Located } from './convert';
import { isDockerfile, suppressionEdit } from './suppression';
import type { SnapshotMap } from './textMap';
import { mergeFixes, type MergeResult } from '../core/fix/edits';

/** The fix-on-save kind: `"editor.codeActionsOnSave": { "source.fixAll.porta": "explicit" }`. */
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('porta');

export function fixLabel(fix: Fix): string {
  return fix.safe ? fix.title : `${fix.title} (unsafe)`;
}

/**
 * Picks non-overlapping fixes in document order with the core's merge (a fix is taken whole or not at all;
 * the rest are picked up after re-analysis, as in Ruff's fix loop). Unsafe fixes only when `includeUnsafe`.
 */
export function chooseFixes(located: readonly Pick<Located, 'finding'>[], includeUnsafe: boolean): MergeResult {
  const fixes = located
    .map((l) => l.finding.fix)
    .filter((f): f is Fix => f !== undefined && f.edits.length > 0 && (f.safe || includeUnsafe));
  const start = (f: Fix) => Math.min(...f.edits.map((e) => e.start));
  return mergeFixes([...fixes].sort((a, b) => start(a) - start(b)));
}

export function fixAllEdit(located: readonly Located[], map: SnapshotMap, includeUnsafe: boolean): vscode.WorkspaceEdit | undefined {
  const { accepted, edits } = chooseFixes(located, includeUnsafe);
  if (accepted.length === 0) return undefined;
  const edit = new vscode.WorkspaceEdit();
  // The merged edits: an edit shared by several fixes (one import for all) is applied once.
  return map.addEdits(edit, edits) ? edit : undefined;
}

/**
 * "Fix all" in the lightbulb list runs the porta.fixAll command, which computes the edit when chosen: computing every
 * fix of a big file on each lightbulb request would be wasted work.
 */
function fixAllAction(document: vscode.TextDocument): vscode.CodeAction {
  const action = new vscode.CodeAction('Fix all Porta issues in this file', vscode.CodeActionKind.QuickFix);
  action.command = { command: 'porta.fixAll', title: action.title, arguments: [document.uri] };
  return action;
}

export class PortaCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(
    private readonly live: LiveDiagnostics,
    private readonly services: PortaServices,
  ) {}

  /**
   * The whole-file fix as one edit, or undefined when nothing is fixable. Used by fix-on-save and porta.fixAll.
   * Python files and notebooks get exactly what `porta fix` writes (every fix to a fixed point, checked to parse, dead
   * imports removed), as Ruff's and ESLint's fix-all run their fix loops; other files merge their findings' fixes.
   */
  async fixAllEdit(document: vscode.TextDocument): Promise<vscode.WorkspaceEdit | undefined> {
    return (await this.fixAll(document)).edit;
  }

  /** The whole-file fix, or why there is none (`error`: porta fix refused, e.g. the result would not parse). */
  async fixAll(document: vscode.TextDocument): Promise<{ edit?: vscode.WorkspaceEdit; error?: string }> {
    const unsafe = this.services.settings(document.uri).unsafeFixes;
    const whole = await this.live.fixAllFor(document, unsafe);
    if (whole) {
      const { summary } = whole;
      if (summary.error) {
        this.services.log.warn(`Fix all left ${document.uri.toString(true)} unchanged: ${summary.error}`);
        return { error: summary.error };
      }
      for (const dropped of summary.dropped ?? []) this.services.log.warn(`Fix all left out a fix in ${document.uri.toString(true)}:${dropped}`);
      if (summary.applied === 0) return {};
      const edit = new vscode.WorkspaceEdit();
      return whole.addTo(edit) ? { edit } : {};
    }
    const located = await this.live.fixesFor(document);
    const map = this.live.mapFor(document.uri);
    return { edit: map && fixAllEdit(located, map, unsafe) };
  }

  async provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range,
    context: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    const wantsFixAll = context.only !== undefined && (context.only.contains(FIX_ALL_KIND) || FIX_ALL_KIND.contains(context.only));
    const wantsQuickFix = context.only === undefined || context.only.contains(vscode.CodeActionKind.QuickFix);
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (!wantsFixAll && (!wantsQuickFix || ours.length === 0)) return [];

    if (wantsFixAll) {
      const edit = await this.fixAllEdit(document);
      if (!edit) return [];
      const action = new vscode.CodeAction('Porta: Fix all auto-fixable issues', FIX_ALL_KIND);
      action.edit = edit;
      return [action];
    }

    // Fixes only for the statements under the cursor and the diagnostics VS Code passed (cheap on a big file).
    const around = ours.reduce((r, d) => r.union(d.range), range);
    const located = await this.live.fixesFor(document, around);
    const map = this.live.mapFor(document.uri);
    if (!map) return [];
    const actions: vscode.CodeAction[] = [];
    const suppressed = new Set<string>();
    for (const diagnostic of ours) {
      // VS Code hands back copies of our diagnostics; the range may also have moved if typing is ahead.
      const entry = located.find((l) => sameDiagnostic(l.diagnostic, diagnostic));
      if (!entry) continue;
      const { finding } = entry;
      if (finding.fix && finding.fix.edits.length > 0) {
        const edit = new vscode.WorkspaceEdit();
        if (map.addEdits(edit, finding.fix.edits)) {
          const action = new vscode.CodeAction(fixLabel(finding.fix), vscode.CodeActionKind.QuickFix);
          action.edit = edit;
          action.diagnostics = [diagnostic];
          action.isPreferred = finding.fix.safe;
          actions.push(action);
        }
      }
      const line = entry.diagnostic.range.start.line;
      const key = `${finding.rule}:${line}`;
      if (!suppressed.has(key)) {
        suppressed.add(key);
        const scope = isDockerfile(document) ? 'file' : 'line';
        const action = new vscode.CodeAction(`Disable ${finding.rule} for this ${scope}`, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.set(document.uri, [suppressionEdit(document, line, finding.rule)]);
        action.diagnostics = [diagnostic];
        actions.push(action);
      }
    }
    // Offered when more than one finding in the file may have a fix; computed when chosen (the command).
    const analyzer = this.services.analyzer.loaded;
    const fixable = located.filter((l) => l.finding.fix || analyzer?.rule(l.finding.rule)?.fixable).length;
    if (fixable > 1) actions.push(fixAllAction(document));
    return actions;
  }
}

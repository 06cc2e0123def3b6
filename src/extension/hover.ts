import * as vscode from 'vscode';
import type { Finding, Rule } from '../core/model';
import { BACKENDS, BACKEND_LABELS, type Verdict } from '../core/targets';
import type { LiveDiagnostics } from './liveDiagnostics';
import { fixLabel } from './codeActions';
import { docsUri, sameDiagnostic } from './convert';
import { alternativesMarkdown } from './hoverAlternatives';

/** Codicons (rendered by the workbench font, unlike emoji, which depend on the system's fonts). */
const VERDICT_TEXT: Record<Verdict, string> = {
  ok: '$(pass) ok',
  shim: '$(sync) shim',
  guarded: '$(shield) guarded',
  degraded: '$(warning) degraded',
  breaks: '$(error) breaks',
};

const ADVICE: Record<Verdict, string> = {
  ok: 'works unchanged',
  shim: "works through Porta's runtime shim (or the vendor's)",
  guarded: 'only runs where CUDA is present: elsewhere the program takes the other path',
  degraded: 'runs, but slower or with reduced features',
  breaks: 'fails or silently does the wrong thing',
};

/** The hover for one finding: rule, message, per-target verdict table, and what to do. */
export function findingHover(finding: Finding, rule: Rule | undefined, docs: vscode.Uri, targetsOfInterest: readonly string[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**Porta [${finding.rule}](${docs.toString()})**${rule ? ` — ${escape(rule.title)}` : ''}\n\n`);
  // The message itself is already in VS Code's diagnostic hover right above this one.
  md.appendMarkdown('| target | verdict | |\n|---|---|---|\n');
  for (const b of BACKENDS) {
    const verdict = finding.targets[b];
    if (!verdict) continue;
    const label = targetsOfInterest.includes(b) ? `**${BACKEND_LABELS[b]}**` : BACKEND_LABELS[b];
    md.appendMarkdown(`| ${label} | ${VERDICT_TEXT[verdict]} | ${ADVICE[verdict]} |\n`);
  }
  md.appendMarkdown('\n');
  if (finding.guard) {
    md.appendMarkdown(`**Guarded:** ${escape(finding.guard.reason)}; left as it is, no fix needed.\n\n`);
  } else if (finding.fix) {
    md.appendMarkdown(`**What to do:** ${escape(fixLabel(finding.fix))} — available as a quick fix (Ctrl+.)`);
    md.appendMarkdown(finding.fix.safe ? '.\n\n' : '; review it: it may change behaviour.\n\n');
  } else {
    md.appendMarkdown('**What to do:** no automatic rewrite here; see the rule page for the portable form.\n\n');
  }
  const alternatives = alternativesMarkdown(finding, targetsOfInterest);
  if (alternatives) md.appendMarkdown(alternatives);
  if (rule?.rationale) md.appendMarkdown(`*Why:* ${escape(rule.rationale)}\n\n`);
  md.appendMarkdown(`Silence it on this line with \`porta: ignore[${finding.rule}]\`.`);
  return md;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|]/g, (c) => `\\${c}`);
}

export class PortaHover implements vscode.HoverProvider {
  constructor(
    private readonly live: LiveDiagnostics,
    private readonly extensionUri: vscode.Uri,
    private readonly rule: (id: string) => Rule | undefined,
    private readonly targetsOfInterest: (uri: vscode.Uri) => readonly string[],
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    let hits = this.live.locatedFor(document.uri).filter((l) => l.diagnostic.range.contains(position));
    if (hits.length === 0) return undefined;
    // Live diagnostics carry no fixes (typing stays fast): ask for the fixes of this spot to say what to do.
    if (hits.some((l) => !l.finding.fix && this.rule(l.finding.rule)?.fixable)) {
      const around = hits.reduce((r, l) => r.union(l.diagnostic.range), hits[0]!.diagnostic.range);
      const withFixes = await this.live.fixesFor(document, around);
      hits = hits.map((l) => withFixes.find((w) => sameDiagnostic(w.diagnostic, l.diagnostic)) ?? l);
    }
    const targets = this.targetsOfInterest(document.uri);
    const parts = hits.map((l) => findingHover(l.finding, this.rule(l.finding.rule), docsUri(this.extensionUri, l.finding.rule, this.rule(l.finding.rule)), targets));
    return new vscode.Hover(parts, hits[0].diagnostic.range);
  }
}

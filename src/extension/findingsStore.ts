import * as vscode from 'vscode';
import type { Finding } from '../core/model';

export interface FileFindings {
  uri: vscode.Uri;
  findings: readonly Finding[];
  /** 'live' = from an open editor (newest); 'scan' = from the last workspace scan. */
  origin: 'live' | 'scan';
}

/** Findings per file, shared by diagnostics, the Porta view, the language status and the dashboard. */
/** Findings of an open document with their fixes (live diagnostics carry none); undefined when it is not open. */
export type FixResolver = (uri: vscode.Uri) => Promise<readonly Finding[] | undefined>;

export class FindingsStore implements vscode.Disposable {
  private readonly files = new Map<string, FileFindings>();
  private fixResolver: FixResolver | undefined;
  /** Resolved findings per live file, valid while its entry is the same object (a new analysis replaces it). */
  private readonly resolved = new WeakMap<FileFindings, Promise<readonly Finding[]>>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private pending: NodeJS.Timeout | undefined;

  /** Live results always replace scan results; a scan does not overwrite a file open in an editor. */
  set(uri: vscode.Uri, findings: readonly Finding[], origin: FileFindings['origin']): void {
    const key = uri.toString();
    const existing = this.files.get(key);
    if (origin === 'scan' && existing?.origin === 'live') return;
    if (findings.length === 0 && origin === 'scan') this.files.delete(key);
    else this.files.set(key, { uri, findings, origin });
    this.fireSoon();
  }

  /** Called when an editor closes: live findings turn back into "scan" ones so the view keeps them. */
  demote(uri: vscode.Uri): void {
    const entry = this.files.get(uri.toString());
    if (!entry) return;
    if (entry.findings.length === 0) this.files.delete(uri.toString());
    else this.files.set(uri.toString(), { ...entry, origin: 'scan' });
    this.fireSoon();
  }

  delete(uri: vscode.Uri): void {
    if (this.files.delete(uri.toString())) this.fireSoon();
  }

  clearScan(): void {
    for (const [key, entry] of this.files) if (entry.origin === 'scan') this.files.delete(key);
    this.fireSoon();
  }

  get(uri: vscode.Uri): FileFindings | undefined {
    return this.files.get(uri.toString());
  }

  all(): FileFindings[] {
    return [...this.files.values()].sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()));
  }

  /** Live diagnostics register how to get an open document's findings with their fixes. */
  setFixResolver(resolver: FixResolver): vscode.Disposable {
    this.fixResolver = resolver;
    return new vscode.Disposable(() => {
      if (this.fixResolver === resolver) this.fixResolver = undefined;
    });
  }

  /**
   * all(), with the fixes of live files resolved (what reports such as the dashboard's Readiness count as fixable,
   * as `porta scan` does). Each live analysis is resolved once; a file that changed meanwhile keeps its findings as
   * they are.
   */
  async allWithFixes(): Promise<FileFindings[]> {
    const resolver = this.fixResolver;
    return Promise.all(
      this.all().map(async (entry) => {
        if (entry.origin !== 'live' || !resolver || entry.findings.every((f) => f.fix)) return entry;
        let pending = this.resolved.get(entry);
        if (!pending) {
          pending = resolver(entry.uri).then((found) => (found && found.length === entry.findings.length ? found : entry.findings));
          this.resolved.set(entry, pending);
        }
        return { ...entry, findings: await pending };
      }),
    );
  }

  total(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.findings.length;
    return n;
  }

  /** Coalesces bursts (a scan sets thousands of files) into one event per tick. */
  private fireSoon(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.changed.fire();
    }, 50);
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.changed.dispose();
  }
}

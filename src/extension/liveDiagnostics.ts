import * as vscode from 'vscode';
import type { AnalysisResult } from '../core/model';
import type { ResolvedConfig } from '../core/config';
import type { AnalyzedDocument, AnalyzerPort, FixAllSummary, TextChange } from './analyzerPort';
import type { FixOptions } from '../core/fix/types';
import type { FixAllOptions } from '../core/fix/python/fixAll';
import type { PortaServices } from './services';
import { toDiagnostics, type Located } from './convert';
import { addCellRewrites, DocumentMap, NotebookMap, type SnapshotMap } from './textMap';
import { analysisPath, isAnalysedDocument, isAnalysedNotebook } from './documentSelector';
import { isExcluded } from './excludes';

/** Timings of the latest analysis of a document, for the performance figures the integration tier prints. */
export interface AnalysisTiming {
  version: number;
  /** Time spent inside the analyzer (parse + rules), ms. */
  analyseMs: number;
  /** Converting findings to diagnostics, and handing them to VS Code (+ the findings store), ms. */
  convertMs: number;
  publishMs: number;
  /** From the open/change event that triggered it to diagnostics published, ms (includes debounce and load). */
  sinceEventMs: number;
  /** From the debounce timer firing to the analysis request (configuration, taking the text), ms. */
  prepareMs: number;
  /** How late the debounce timer fired, ms (a busy extension host delays it). */
  timerLateMs: number;
  incremental: boolean;
}

/** Fix All's answer: what was applied, and the edits to add to a WorkspaceEdit (false: they cannot be mapped). */
export interface WholeFileFix {
  summary: FixAllSummary;
  addTo(edit: vscode.WorkspaceEdit): boolean;
}

interface Tracked {
  key: string;
  uri: vscode.Uri;
  notebook?: vscode.NotebookDocument;
  document?: vscode.TextDocument;
  /** Version last analysed (-1: never). */
  analysedVersion: number;
  /** Changes since the last analysis; undefined = re-parse from scratch. */
  changes: TextChange[] | undefined;
  handle?: AnalyzedDocument;
  map?: SnapshotMap;
  located: Located[];
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  eventAt: number;
  /** When the debounce timer fired, and how long it was set for. */
  firedAt?: number;
  delayMs?: number;
  timing?: AnalysisTiming;
  /** Set when a newer request arrives while running, so the run loops once more. */
  again: boolean;
  failures: number;
}

/** A notebook's Python code cells, in order: what its analysis and Fix All see. */
function codeCells(notebook: vscode.NotebookDocument): { uri: vscode.Uri; text: string }[] {
  return notebook
    .getCells()
    .filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python')
    .map((c) => ({ uri: c.document.uri, text: c.document.getText() }));
}

/** The name a notebook is analysed under (a .py next to it: the joined cells are one Python program). */
function notebookPath(notebook: vscode.NotebookDocument): string {
  return `${notebook.uri.scheme === 'file' ? notebook.uri.fsPath : notebook.uri.path}.py`;
}

function tabUris(tab: vscode.Tab): string[] {
  const input = tab.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputNotebook) return [input.uri.toString()];
  if (input instanceof vscode.TabInputTextDiff || input instanceof vscode.TabInputNotebookDiff) return [input.original.toString(), input.modified.toString()];
  return [];
}

/**
 * Live diagnostics for open documents and notebooks: analyse on open, debounced on edit (or on save),
 * re-parse incrementally through the analyzer's document handle, clear on close.
 */
export class LiveDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('porta');
  private readonly tracked = new Map<string, Tracked>();
  private readonly byUri = new Map<string, { tracked: Tracked; located: Located[] }>();
  private readonly analysed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after diagnostics for a document (or notebook) were published. */
  readonly onDidAnalyse = this.analysed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly services: PortaServices,
    private readonly extensionUri: vscode.Uri,
  ) {
    const ws = vscode.workspace;
    this.disposables.push(
      this.collection,
      this.analysed,
      ws.onDidOpenTextDocument((d) => this.openText(d)),
      ws.onDidChangeTextDocument((e) => this.changeText(e)),
      ws.onDidSaveTextDocument((d) => this.saved(d.uri)),
      ws.onDidCloseTextDocument((d) => this.close(d.uri.toString())),
      ws.onDidOpenNotebookDocument((n) => this.openNotebook(n)),
      ws.onDidChangeNotebookDocument((e) => this.changeNotebook(e.notebook)),
      ws.onDidSaveNotebookDocument((n) => this.saved(n.uri)),
      ws.onDidCloseNotebookDocument((n) => this.close(n.uri.toString())),
      // A closed tab keeps its document alive in the host for a while; users expect the squiggles gone now.
      vscode.window.tabGroups.onDidChangeTabs((e) => this.tabsClosed(e.closed)),
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.openText(e.document))),
      vscode.window.onDidChangeVisibleNotebookEditors((editors) => editors.forEach((e) => this.openNotebook(e.notebook))),
      services.onDidChangeSettings(() => this.reanalyseAll()),
      services.onDidChangeConfig(() => this.reanalyseAll()),
    );
    for (const d of ws.textDocuments) this.openText(d);
    for (const n of ws.notebookDocuments) this.openNotebook(n);
    this.disposables.push(
      services.findings.setFixResolver(async (uri) => {
        const document = ws.textDocuments.find((d) => d.uri.toString() === uri.toString());
        return document && (await this.fixesFor(document)).map((l) => l.finding);
      }),
    );
  }

  /** Diagnostics with their findings for a text document or notebook cell, as of the last analysis. */
  locatedFor(uri: vscode.Uri): Located[] {
    return this.byUri.get(uri.toString())?.located ?? [];
  }

  /** The snapshot map that turns a finding's fix into editor edits. */
  mapFor(uri: vscode.Uri): SnapshotMap | undefined {
    return this.byUri.get(uri.toString())?.tracked.map;
  }

  /**
   * The document's diagnostics with their findings' fixes, for code actions, hovers and fix-all. Live analysis of
   * text documents skips fixes (typing stays fast), so they are computed here on request: only for the statements
   * around `range` when given, else for all. Notebooks are analysed with their fixes already. Empty when the
   * document changed while the fixes were computed (their offsets would be stale).
   */
  async fixesFor(document: vscode.TextDocument, range?: vscode.Range): Promise<Located[]> {
    await this.flush(document.uri);
    const entry = this.byUri.get(document.uri.toString());
    if (!entry) return [];
    const t = entry.tracked;
    const { handle, map } = t;
    if (t.notebook || !handle || !map || t.analysedVersion !== document.version) return entry.located;
    const version = document.version;
    const [analyzer, config] = await Promise.all([this.services.analyzer.load(), this.services.configFor(t.uri)]);
    const fixRange = range && { start: document.offsetAt(range.start), end: document.offsetAt(range.end) };
    const result = await handle.analyze(config, { fix: await this.fixOptionsFor(t.uri, config), fixRange });
    if (document.version !== version || t.handle !== handle || this.tracked.get(t.key) !== t) return [];
    return toDiagnostics(result.findings, map, this.services.settings(t.uri), (id) => analyzer.rule(id), this.extensionUri);
  }

  /**
   * Fix All: `porta fix` in the analysis worker, as edits for the document's snapshot. A text document is fixed from
   * its own tree (every fix to a fixed point, the result checked to parse, imports the fixes made dead removed; the
   * passes' edits composed into one list); a notebook's code cells as its .ipynb would be. Undefined for languages
   * without a whole-file fix (the caller merges the findings' fixes instead) and when the document changed meanwhile.
   */
  async fixAllFor(document: vscode.TextDocument, unsafe: boolean): Promise<WholeFileFix | undefined> {
    await this.flush(document.uri);
    const t = this.byUri.get(document.uri.toString())?.tracked;
    const map = t?.map;
    if (!t || !map) return undefined;
    const config = await this.services.configFor(t.uri);
    const options: FixAllOptions = { ...(await this.fixOptionsFor(t.uri, config)), unsafe };
    if (t.notebook) {
      const cells = codeCells(t.notebook);
      const analyzer = await this.services.analyzer.load();
      const { sources, summary } = await analyzer.fixCells(cells.map((c) => c.text), options);
      if (this.tracked.get(t.key) !== t || codeCells(t.notebook).some((c, i) => c.text !== cells[i]?.text)) return undefined;
      return {
        summary,
        addTo: (edit) => {
          addCellRewrites(edit, cells, sources);
          return true;
        },
      };
    }
    const handle = t.handle;
    if (!handle || t.analysedVersion !== document.version) return undefined;
    const version = document.version;
    const summary = await handle.fixAll(options);
    if (!summary || document.version !== version || t.handle !== handle || this.tracked.get(t.key) !== t) return undefined;
    return { summary, addTo: (edit) => map.addEdits(edit, summary.edits) };
  }

  /** The configured target, and the torch version the project declares nearest the file (as `porta fix` reads it). */
  private async fixOptionsFor(uri: vscode.Uri, config: ResolvedConfig): Promise<FixOptions> {
    return { target: config.fixTarget, torchVersion: await this.services.torchVersionFor(uri) };
  }

  timing(uri: vscode.Uri): AnalysisTiming | undefined {
    return this.trackedFor(uri)?.timing;
  }

  /** Runs any pending analysis of the document now and waits until diagnostics match its current version. */
  async flush(uri: vscode.Uri): Promise<void> {
    for (let round = 0; round < 20; round++) {
      const t = this.trackedFor(uri);
      if (!t) return;
      const current = t.notebook ? t.notebook.version : t.document?.version;
      if (!t.timer && !t.running && t.analysedVersion === current) return;
      if (t.running) await t.running;
      else {
        this.schedule(t, 0);
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
  }

  private trackedFor(uri: vscode.Uri): Tracked | undefined {
    return this.tracked.get(uri.toString()) ?? this.byUri.get(uri.toString())?.tracked;
  }

  private enabledFor(uri: vscode.Uri): boolean {
    const settings = this.services.settings(uri);
    return settings.enable && !isExcluded(uri, settings.exclude);
  }

  private openText(document: vscode.TextDocument): void {
    if (!isAnalysedDocument(document) || !this.enabledFor(document.uri)) return;
    const key = document.uri.toString();
    if (this.tracked.has(key)) return;
    const t: Tracked = { key, uri: document.uri, document, analysedVersion: -1, changes: undefined, located: [], eventAt: performance.now(), again: false, failures: 0 };
    this.tracked.set(key, t);
    this.schedule(t, 0);
  }

  private openNotebook(notebook: vscode.NotebookDocument): void {
    if (!isAnalysedNotebook(notebook) || !this.enabledFor(notebook.uri)) return;
    const key = notebook.uri.toString();
    if (this.tracked.has(key)) return;
    const t: Tracked = { key, uri: notebook.uri, notebook, analysedVersion: -1, changes: undefined, located: [], eventAt: performance.now(), again: false, failures: 0 };
    this.tracked.set(key, t);
    this.schedule(t, 0);
  }

  private changeText(event: vscode.TextDocumentChangeEvent): void {
    if (event.document.uri.scheme === 'vscode-notebook-cell') return; // the notebook change event covers it
    const t = this.tracked.get(event.document.uri.toString());
    if (!t) {
      // A language change (e.g. plaintext → pip-requirements) shows up as close+open; a brand-new match opens here.
      this.openText(event.document);
      return;
    }
    if (event.contentChanges.length === 0) return; // dirty-state-only events
    // VS Code orders one event's changes from the end of the document backwards: safe to apply in sequence.
    for (const c of event.contentChanges) t.changes?.push({ start: c.rangeOffset, end: c.rangeOffset + c.rangeLength, text: c.text });
    t.eventAt = performance.now();
    const settings = this.services.settings(t.uri);
    if (settings.runOn === 'type') this.schedule(t, settings.debounceMs);
  }

  private changeNotebook(notebook: vscode.NotebookDocument): void {
    const t = this.tracked.get(notebook.uri.toString());
    if (!t) return this.openNotebook(notebook);
    t.eventAt = performance.now();
    const settings = this.services.settings(t.uri);
    if (settings.runOn === 'type') this.schedule(t, settings.debounceMs);
  }

  private saved(uri: vscode.Uri): void {
    const t = this.tracked.get(uri.toString());
    if (t && this.services.settings(uri).runOn === 'save') this.schedule(t, 0);
  }

  private close(key: string): void {
    const t = this.tracked.get(key);
    if (!t) return;
    if (t.timer) clearTimeout(t.timer);
    t.handle?.dispose();
    this.tracked.delete(key);
    this.unpublish(t);
    this.services.findings.demote(t.uri);
  }

  private tabsClosed(closed: readonly vscode.Tab[]): void {
    if (closed.length === 0) return;
    const stillOpen = new Set<string>();
    for (const group of vscode.window.tabGroups.all) for (const tab of group.tabs) for (const uri of tabUris(tab)) stillOpen.add(uri);
    for (const tab of closed) for (const uri of tabUris(tab)) if (!stillOpen.has(uri)) this.close(uri);
  }

  private unpublish(t: Tracked): void {
    for (const [uriKey, entry] of this.byUri) {
      if (entry.tracked === t) {
        this.collection.delete(vscode.Uri.parse(uriKey));
        this.byUri.delete(uriKey);
      }
    }
  }

  /** Settings or porta.toml changed: analyse every open document again (syntax trees stay valid). */
  reanalyseAll(): void {
    for (const t of [...this.tracked.values()]) {
      if (!this.enabledFor(t.uri)) {
        this.close(t.key);
        continue;
      }
      t.analysedVersion = -1;
      t.eventAt = performance.now();
      this.schedule(t, 0);
    }
    for (const d of vscode.workspace.textDocuments) this.openText(d);
    for (const n of vscode.workspace.notebookDocuments) this.openNotebook(n);
  }

  private schedule(t: Tracked, delayMs: number): void {
    if (t.timer) clearTimeout(t.timer);
    t.delayMs = delayMs;
    t.timer = setTimeout(() => {
      t.timer = undefined;
      t.firedAt = performance.now();
      if (t.running) {
        t.again = true;
        return;
      }
      t.running = this.run(t).finally(() => {
        t.running = undefined;
        if (t.again) {
          t.again = false;
          this.schedule(t, 0);
        }
      });
    }, delayMs);
  }

  private async run(t: Tracked): Promise<void> {
    let analyzer: AnalyzerPort;
    try {
      analyzer = await this.services.analyzer.load();
    } catch {
      return; // logged by the host; diagnostics simply stay empty
    }
    const config = await this.services.configFor(t.uri);
    if (this.tracked.get(t.key) !== t) return; // closed while loading
    try {
      if (t.notebook) await this.analyseNotebook(t, t.notebook, analyzer, config);
      else if (t.document) await this.analyseText(t, t.document, analyzer, config);
    } catch (error) {
      this.services.log.error(`analysis of ${t.uri.toString(true)} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      t.handle?.dispose();
      t.handle = undefined;
      t.changes = undefined;
      // One retry from scratch (e.g. the worker was restarted); a file that always fails is not retried in a loop.
      t.failures++;
      if (t.failures <= 1) t.again = true;
      return;
    }
    t.failures = 0;
  }

  private async analyseText(t: Tracked, document: vscode.TextDocument, analyzer: AnalyzerPort, config: ResolvedConfig): Promise<void> {
    if (document.version === t.analysedVersion) return;
    // Take text, version and pending changes together: edits that arrive while the worker runs start a new round.
    const text = document.getText();
    const version = document.version;
    const changes = t.changes;
    t.changes = [];
    const started = performance.now();
    const incremental = t.handle !== undefined && changes !== undefined;
    if (!t.handle) t.handle = analyzer.openDocument(analysisPath(document), text);
    else t.handle.update(changes ?? text);
    // Typing needs diagnostics only; fixes are computed when a code action or hover asks (fixesFor).
    const result = await t.handle.analyze(config, { fix: null });
    if (this.tracked.get(t.key) !== t) return; // closed meanwhile
    t.analysedVersion = version;
    t.map = new DocumentMap(document.uri, text);
    this.publish(t, result, analyzer, started, incremental, version);
    if (document.version !== version) t.again = true;
  }

  private async analyseNotebook(t: Tracked, notebook: vscode.NotebookDocument, analyzer: AnalyzerPort, config: ResolvedConfig): Promise<void> {
    if (notebook.version === t.analysedVersion) return;
    const version = notebook.version;
    const { text, map } = NotebookMap.join(codeCells(notebook));
    const started = performance.now();
    const result = await analyzer.analyze(notebookPath(notebook), text, config, await this.fixOptionsFor(notebook.uri, config));
    if (this.tracked.get(t.key) !== t) return;
    t.analysedVersion = version;
    t.map = map;
    // Cells that no longer have findings must lose their old diagnostics.
    this.unpublish(t);
    this.publish(t, result, analyzer, started, false, version);
    if (notebook.version !== version) t.again = true;
  }

  private publish(t: Tracked, result: AnalysisResult, analyzer: AnalyzerPort, started: number, incremental: boolean, version: number): void {
    const analyseMs = performance.now() - started;
    const settings = this.services.settings(t.uri);
    const located = toDiagnostics(result.findings, t.map!, settings, (id) => analyzer.rule(id), this.extensionUri);
    const converted = performance.now();
    const perUri = new Map<string, { uri: vscode.Uri; located: Located[] }>();
    if (!t.notebook) perUri.set(t.key, { uri: t.uri, located: [] });
    for (const l of located) {
      const k = l.uri.toString();
      if (!perUri.has(k)) perUri.set(k, { uri: l.uri, located: [] });
      perUri.get(k)!.located.push(l);
    }
    for (const [k, entry] of perUri) {
      this.byUri.set(k, { tracked: t, located: entry.located });
      this.collection.set(entry.uri, entry.located.map((l) => l.diagnostic));
    }
    t.located = located;
    this.services.findings.set(t.uri, located.map((l) => l.finding), 'live');
    const now = performance.now();
    const firedAt = t.firedAt ?? started;
    t.timing = {
      version,
      analyseMs,
      convertMs: converted - started - analyseMs,
      publishMs: now - converted,
      sinceEventMs: now - t.eventAt,
      prepareMs: started - firedAt,
      timerLateMs: Math.max(0, firedAt - t.eventAt - (t.delayMs ?? 0)),
      incremental,
    };
    this.services.log.debug(
      `analysed ${t.uri.toString(true)} v${version} in ${analyseMs.toFixed(1)} ms (${incremental ? 'incremental' : 'full'}): ${located.length} findings`,
    );
    this.analysed.fire(t.uri);
  }

  dispose(): void {
    for (const t of this.tracked.values()) {
      if (t.timer) clearTimeout(t.timer);
      t.handle?.dispose();
    }
    this.tracked.clear();
    for (const d of this.disposables) d.dispose();
  }
}

import type { AnalysisResult, Rule, TextEdit } from '../core/model';
import type { FixOptions } from '../core/fix/types';
import type { ResolvedConfig } from '../core/config';
import type { FixAllOptions, FixAllResult } from '../core/fix/python/fixAll';

/** One replacement in 0-based UTF-16 offsets into the CURRENT text; a list is applied in order. */
export interface TextChange {
  start: number;
  end: number;
  text: string;
}

/** [start, end) in 0-based UTF-16 offsets into the current text. */
export interface OffsetRange {
  start: number;
  end: number;
}

/**
 * What to compute fixes for: `fix: null` = diagnostics only (what typing needs: several times faster on a
 * CUDA-heavy file); `fixRange` = only the findings around these offsets need their fix (a quick fix at the cursor).
 * Default: every finding with its fix for the configured target.
 */
export interface AnalyzeOptions {
  fix?: FixOptions | null;
  fixRange?: OffsetRange;
}

/** What Fix All needs from `porta fix`'s result: the edits on the document's text (not the whole new text). */
export interface FixAllSummary {
  edits: TextEdit[];
  applied: number;
  unsafeSkipped: number;
  /** Fixes left out because the file would not parse with them: `LINE: TITLE: REASON`. */
  dropped?: string[];
  error?: string;
  /** With a package's shared support module (`FixOptions.shared`): the names the result imports from it. */
  shared?: string[];
}

export function summarizeFixAll(result: FixAllResult): FixAllSummary {
  const dropped = result.dropped?.map((d) => `${d.line}: ${d.title}: ${d.reason}`);
  return { edits: result.edits, applied: result.applied.length, unsafeSkipped: result.unsafeSkipped.length, ...(dropped ? { dropped } : {}), error: result.error, ...(result.shared ? { shared: result.shared } : {}) };
}

/** A document the analyzer keeps a syntax tree for, re-parsed incrementally (docs/dev/analyzer.md). */
export interface AnalyzedDocument {
  /** Ordered with later analyze() calls; returns at once. */
  update(changes: readonly TextChange[] | string): void;
  analyze(config: ResolvedConfig, options?: AnalyzeOptions): Promise<AnalysisResult>;
  /** `porta fix` on the current text from the document's tree; undefined where the language has no whole-file fix. */
  fixAll(options: FixAllOptions): Promise<FixAllSummary | undefined>;
  dispose(): void;
}

/**
 * What the extension needs from the core analyzer. analyzerAdapter.ts implements it with a worker thread
 * (dist/analysis-worker.js), so parsing never blocks the extension host, or in-thread when no worker is bundled.
 */
export interface AnalyzerPort {
  readonly mode: 'worker' | 'in-thread';
  rule(id: string): Rule | undefined;
  allRules(): readonly Rule[];
  openDocument(path: string, text: string): AnalyzedDocument;
  analyze(path: string, text: string, config: ResolvedConfig, fix?: FixOptions): Promise<AnalysisResult>;
  /** `porta fix` on a notebook's code cells (as on its .ipynb): the new sources, the same strings where unchanged. */
  fixCells(sources: readonly string[], options: FixAllOptions): Promise<{ sources: string[]; summary: FixAllSummary }>;
  dispose(): void;
}

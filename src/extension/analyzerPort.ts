import type { AnalysisResult, Rule } from '../core/model';
import type { FixOptions } from '../core/fix/types';
import type { ResolvedConfig } from '../core/config';
import type { Analyzer } from '../core/analyze';

/** One replacement in 0-based UTF-16 offsets into the CURRENT text; a list is applied in order. */
export interface TextChange {
  start: number;
  end: number;
  text: string;
}

/** A document the analyzer keeps a syntax tree for, re-parsed incrementally (docs/dev/analyzer.md). */
export interface AnalyzedDocument {
  update(changes: readonly TextChange[] | string): void;
  analyze(config: ResolvedConfig): AnalysisResult;
  dispose(): void;
}

/** What the extension needs from the core analyzer; analyzerAdapter.ts implements it over src/core. */
export interface AnalyzerPort {
  /** The core analyzer itself, for APIs that take one (scanWorkspace reuses it instead of loading another). */
  readonly core: Analyzer;
  rule(id: string): Rule | undefined;
  allRules(): readonly Rule[];
  openDocument(path: string, text: string): AnalyzedDocument;
  analyze(path: string, text: string, config: ResolvedConfig, fix?: FixOptions): AnalysisResult;
}

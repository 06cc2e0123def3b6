import type { Backend, VerdictTable } from './targets';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** 1-based line and column, as every Porta output reports them. */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A replacement of [start, end) with `text`, in 0-based UTF-16 offsets into the analysed text. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  title: string;
  /** False when the fix may change behaviour: applied only with an explicit opt-in (Ruff's unsafe fixes). */
  safe: boolean;
  edits: TextEdit[];
}

export interface RelatedLocation {
  path: string;
  range: Range;
  message: string;
}

export interface Finding {
  path: string;
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  targets: VerdictTable;
  fix?: Fix;
  related?: RelatedLocation[];
  /** For notebooks: the 0-based cell index the range refers to (range is then cell-relative). */
  cell?: number;
  /**
   * The construct that keeps this code from running without CUDA ("inside `if torch.cuda.is_available():` (line 12)").
   * A guarded finding has the verdict 'guarded' wherever it would break or degrade, severity 'info', and no fix.
   */
  guard?: Guard;
}

export interface Guard {
  reason: string;
  range?: Range;
}

/** A non-finding message about a file: skipped, partly unparsable, too large... */
export interface FileNote {
  path: string;
  kind: 'syntax-error' | 'binary' | 'too-large' | 'unreadable' | 'encoding' | 'skipped';
  message: string;
  range?: Range;
}

export interface Rule {
  /** Stable id grouped by family, e.g. "PT-DEV-001". Never renumber a published id. */
  id: string;
  family: string;
  title: string;
  rationale: string;
  severity: Severity;
  targets: VerdictTable;
  fixable: boolean;
  /** Relative path of the docs page, e.g. "docs/rules/PT-DEV-001.md". */
  docs: string;
}

export type { Backend };

/** What analysing one file yields. */
export interface AnalysisResult {
  findings: Finding[];
  notes: FileNote[];
}

/**
 * A language's analyzer, plugged into the dispatcher in src/core/analyze.ts by file kind.
 * Python/notebooks/requirements/Dockerfiles/shell live in src/core/python etc.; CUDA C++ in src/core/cuda.
 */
export interface LanguageAnalyzer {
  id: string;
  /** Whether this analyzer handles the file, from its path and (cheaply) its text. */
  handles(path: string, text: string): boolean;
  analyze(path: string, text: string): AnalysisResult;
  /** An open document analysed incrementally as it is edited (live diagnostics); without it, edits re-analyse the whole text. */
  openDocument?(path: string, text: string): LanguageDocument;
}

/** A document a language analyzer keeps state for between edits. Offsets are 0-based UTF-16 into the current text. */
export interface LanguageDocument {
  readonly text: string;
  update(change: readonly TextEdit[] | string): void;
  /** Same result as the analyzer's analyze(path, text) on the current text; without fixes when withFixes is false. */
  analyze(withFixes?: boolean): AnalysisResult;
  dispose(): void;
}

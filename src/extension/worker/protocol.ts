// Messages between the extension host and the live-analysis worker (no vscode here: the worker is plain Node).
import type { ResolvedConfig } from '../../core/config';
import type { FixOptions } from '../../core/fix/types';
import type { FixAllOptions } from '../../core/fix/python/fixAll';
import type { FixAllSummary, OffsetRange, TextChange } from '../analyzerPort';
import type { PackedResult } from './packedResult';

export type ToAnalysisWorker =
  | { type: 'open'; doc: number; path: string; text: string }
  | { type: 'update'; doc: number; change: TextChange[] | string }
  /** fix: null for diagnostics only (live typing); fixRange: fixes only around these offsets (a quick fix). */
  | { type: 'analyze'; doc: number; request: number; config: ResolvedConfig; fix?: FixOptions | null; fixRange?: OffsetRange }
  | { type: 'analyzeText'; request: number; path: string; text: string; config: ResolvedConfig; fix?: FixOptions }
  /** Every fix to a fixed point on the document's current text (Fix All), from its tree. */
  | { type: 'fixAll'; doc: number; request: number; options: FixAllOptions }
  | { type: 'fixCells'; request: number; sources: string[]; options: FixAllOptions }
  | { type: 'close'; doc: number };

export type FromAnalysisWorker =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  /** The result in columns (packedResult.ts): cheaper to clone on every keystroke. */
  | { type: 'result'; request: number; result: PackedResult; ms: number }
  /** summary undefined: the document's language has no whole-file fix. */
  | { type: 'fixed'; request: number; summary: FixAllSummary | undefined }
  | { type: 'fixedCells'; request: number; sources: string[]; summary: FixAllSummary }
  | { type: 'error'; request: number; message: string };

/** Conversion statistics in the spirit of HIPIFY's --print-stats: what was found, converted, and why the rest was not. */
import type { TextEdit } from '../model';
import { LineIndex } from '../text';
import type { CudaReference } from './scan';

export interface ReferenceOutcome {
  ref: CudaReference;
  converted: boolean;
  reason?: string;
}

export interface ApiCount {
  found: number;
  converted: number;
  unconverted: number;
}

export interface ConversionStats {
  path: string;
  references: ApiCount;
  /** The unconverted references split: no HIP/ROCm equivalent exists, or one exists but a person must port it. */
  unsupported: number;
  needsReview: number;
  /** converted / found × 100, rounded to one decimal; 100 when nothing was found. */
  percent: number;
  linesChanged: number;
  totalLines: number;
  bytesChanged: number;
  totalBytes: number;
  /** By CUDA library ("CUDA Runtime API", "cuBLAS", "Headers", ...). */
  byLibrary: Record<string, ApiCount>;
  /** By kind (function, type, enum, macro, device, namespace, header, ptx). */
  byKind: Record<string, ApiCount>;
  /** By CUDA name, with the HIP name ("none" where there is none). */
  byName: Record<string, ApiCount & { hip: string }>;
  unconverted: Array<{ api: string; line: number; reason: string }>;
  notes: string[];
}

export function emptyCount(): ApiCount {
  return { found: 0, converted: 0, unconverted: 0 };
}

function bump(count: ApiCount, converted: boolean): void {
  count.found++;
  if (converted) count.converted++;
  else count.unconverted++;
}


export function percentOf(count: ApiCount): number {
  return count.found === 0 ? 100 : Math.round((count.converted / count.found) * 1000) / 10;
}

export function buildStats(path: string, text: string, outcomes: ReferenceOutcome[], edits: TextEdit[], notes: string[]): ConversionStats {
  const lines = new LineIndex(text);
  const lineOf = (offset: number): number => lines.position(offset).line;
  const references = emptyCount();
  const byLibrary: Record<string, ApiCount> = {};
  const byKind: Record<string, ApiCount> = {};
  const byName: Record<string, ApiCount & { hip: string }> = {};
  const unconverted: ConversionStats['unconverted'] = [];
  let unsupported = 0;
  for (const { ref, converted, reason } of outcomes) {
    if (!converted && !ref.entry.hip) unsupported++;
    bump(references, converted);
    bump((byLibrary[ref.entry.library] ??= emptyCount()), converted);
    bump((byKind[ref.entry.kind] ??= emptyCount()), converted);
    bump((byName[ref.name] ??= { ...emptyCount(), hip: ref.entry.hip ?? 'none' }), converted);
    if (!converted) unconverted.push({ api: ref.name, line: lineOf(ref.start), reason: reason ?? 'not converted' });
  }
  const changed = new Set<number>();
  let bytesChanged = 0;
  for (const edit of edits) {
    for (let line = lineOf(edit.start), last = lineOf(edit.end); line <= last; line++) changed.add(line);
    bytesChanged += Math.max(edit.end - edit.start, edit.text.length);
  }
  const totalLines = text.length === 0 ? 0 : lineOf(text.length - 1);
  return {
    path,
    references,
    unsupported,
    needsReview: references.unconverted - unsupported,
    percent: percentOf(references),
    linesChanged: changed.size,
    totalLines,
    bytesChanged,
    totalBytes: text.length,
    byLibrary,
    byKind,
    byName,
    unconverted,
    notes,
  };
}

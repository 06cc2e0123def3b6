import type { Analyzer } from '../core/analyze';
import type { ResolvedConfig } from '../core/config';
import type { AnalysisResult } from '../core/model';
import type { FixOptions } from '../core/fix/types';
import type { WorkItem } from './protocol';

/** One file's analysis in a scan: an analyzer bug becomes a note on that file instead of ending the scan. */
export function analyzeSafely(analyzer: Analyzer, item: WorkItem, config: ResolvedConfig, fixOptions?: FixOptions): AnalysisResult {
  try {
    return analyzer.analyze(item.path, item.text, config, fixOptions);
  } catch (error) {
    return { findings: [], notes: [{ path: item.path, kind: 'skipped', message: `Internal analyzer error: ${error instanceof Error ? error.message : String(error)}` }] };
  }
}

/**
 * Exports of a comparison: exactly what `porta compare --format markdown|csv|json` prints for the same runs and
 * reference (one formatter, src/run/compareFormat.ts). Pure.
 */
import type { Comparison } from '../../src/run/compare';
import { formatComparison } from '../../src/run/compareFormat';
import type { ExportFormat } from '../../src/protocol';

export function exportComparison(comparison: Comparison, format: ExportFormat): string {
  return formatComparison(comparison, format);
}

export function exportFileName(format: ExportFormat): string {
  return `porta-comparison.${format === 'markdown' ? 'md' : format}`;
}

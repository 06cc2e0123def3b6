import type { FileNote, Finding } from '../model';

/** What a workspace scan (or any batch of analyses) produced; the input of every report format. */
export interface ScanResult {
  findings: Finding[];
  notes: FileNote[];
  filesScanned: number;
  linesScanned: number;
  durationMs?: number;
  /** Worker threads the scan used (0 = analysed in the calling thread). */
  workers?: number;
}

export type ReportFormat = 'text' | 'json' | 'sarif' | 'markdown';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'markdown'];

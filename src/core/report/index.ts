import { BACKENDS, type Backend } from '../targets';
import { formatJson } from './json';
import { formatMarkdown } from './markdown';
import { formatSarif } from './sarif';
import { formatText } from './text';
import type { ReportFormat, ScanResult } from './types';

export { buildReadiness, type ReadinessEntry, type ReadinessStatus, type EffortLevel } from './readiness';
export { summarize, type ScanSummary } from './summary';
export { verdictSummary } from './verdicts';
export { REPORT_FORMATS, type ReportFormat, type ScanResult } from './types';

export interface ReportOptions {
  color?: boolean;
  targets?: readonly Backend[];
  version?: string;
}

export function formatReport(scan: ScanResult, format: ReportFormat, options: ReportOptions = {}): string {
  const targets = options.targets ?? BACKENDS;
  switch (format) {
    case 'json':
      return formatJson(scan, targets);
    case 'sarif':
      return formatSarif(scan, options.version);
    case 'markdown':
      return formatMarkdown(scan, targets);
    default:
      return formatText(scan, { color: options.color, targets });
  }
}

/** Filtering, sorting and windowing of the run history. Pure, so 1,000 runs filter in microseconds and tests run in Node. */
import type { RunRecord, RunStatus, ShimReport } from '../../src/run/record';

export interface RunFilter {
  /** Target name, or '' for all. */
  target: string;
  /** Status, or '' for all. */
  status: RunStatus | '';
  /** Case-insensitive text matched against id, entry, backend and command. */
  text: string;
}

export const EMPTY_FILTER: RunFilter = { target: '', status: '', text: '' };

export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running'];

export function isActive(run: RunRecord): boolean {
  return ACTIVE_STATUSES.includes(run.status);
}

/** Newest first; ties broken by id so the order is stable across refreshes. */
export function sortRuns(runs: readonly RunRecord[]): RunRecord[] {
  return [...runs].sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

export function filterRuns(runs: readonly RunRecord[], filter: RunFilter): RunRecord[] {
  const text = filter.text.trim().toLowerCase();
  return runs.filter((run) => {
    if (filter.target && run.target !== filter.target) return false;
    if (filter.status && run.status !== filter.status) return false;
    if (!text) return true;
    return (
      run.id.toLowerCase().includes(text) ||
      run.entry.toLowerCase().includes(text) ||
      run.backend.toLowerCase().includes(text) ||
      (run.resolvedBackend ?? '').toLowerCase().includes(text) ||
      run.command.join(' ').toLowerCase().includes(text)
    );
  });
}

/** The distinct targets and statuses present, for the filter dropdowns. */
export function runFacets(runs: readonly RunRecord[]): { targets: string[]; statuses: RunStatus[] } {
  const targets = new Set<string>();
  const statuses = new Set<RunStatus>();
  for (const run of runs) {
    targets.add(run.target);
    statuses.add(run.status);
  }
  return { targets: [...targets].sort(), statuses: [...statuses].sort() };
}

export function countByStatus(runs: readonly RunRecord[]): Partial<Record<RunStatus, number>> {
  const counts: Partial<Record<RunStatus, number>> = {};
  for (const run of runs) counts[run.status] = (counts[run.status] ?? 0) + 1;
  return counts;
}

/** Inserts or replaces one run (live updates) without reordering the rest. */
export function upsertRun(runs: readonly RunRecord[], run: RunRecord): RunRecord[] {
  const index = runs.findIndex((r) => r.id === run.id);
  if (index < 0) return sortRuns([...runs, run]);
  const next = [...runs];
  next[index] = run;
  return next;
}

export interface RowWindow {
  /** First row to render (inclusive). */
  start: number;
  /** Last row to render (exclusive). */
  end: number;
  /** Pixel offset of the first rendered row. */
  offsetTop: number;
  /** Height of the whole (virtual) list. */
  totalHeight: number;
}

/** Which rows of a fixed-height virtual list are visible, with `overscan` extra rows either side. */
export function visibleWindow(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 8): RowWindow {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const count = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(total, first - overscan));
  const end = Math.min(total, first + count + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight: total * rowHeight };
}

/** One line for the run details: how many CUDA calls the shim translated, and what fell back ("—" parts left out). */
export function shimSummary(report: ShimReport | undefined): string | undefined {
  if (!report) return undefined;
  const calls = Object.values(report.translated).reduce((sum, n) => sum + n, 0);
  const kinds = Object.keys(report.translated).length;
  const translated = calls ? `${calls} CUDA call${calls === 1 ? '' : 's'} (${kinds} kind${kinds === 1 ? '' : 's'}) translated to ${report.device}` : `nothing to translate on ${report.device}`;
  return report.fallbacks.length ? `${translated}; fell back: ${report.fallbacks.join('; ')}` : translated;
}

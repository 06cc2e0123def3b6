/** What survives hiding and reloading the panel (getState/setState); run data comes back from the host. */
import type { ExportFormat } from '../src/protocol';
import { EMPTY_FILTER, type RunFilter } from './model/runs';

export type Page = 'runs' | 'compare' | 'readiness';

export interface UiState {
  page: Page;
  filter: RunFilter;
  selectedRunId?: string;
  runsScrollTop: number;
  /** Runs picked for comparison; null until the user picks = let the dashboard choose. */
  compareIds: string[] | null;
  referenceKey?: string;
  tolerance: number;
  exportFormat: ExportFormat;
  /** Readiness targets whose item lists are open. */
  expanded: string[];
}

export const DEFAULT_STATE: UiState = {
  page: 'runs',
  filter: EMPTY_FILTER,
  runsScrollTop: 0,
  compareIds: null,
  tolerance: 1e-3,
  exportFormat: 'markdown',
  expanded: [],
};

/** Restores saved state defensively: an older or damaged state must not break the panel. */
export function restoreState(saved: unknown): UiState {
  if (typeof saved !== 'object' || saved === null) return { ...DEFAULT_STATE };
  const s = saved as Partial<UiState>;
  const pages: Page[] = ['runs', 'compare', 'readiness'];
  return {
    page: pages.includes(s.page as Page) ? (s.page as Page) : 'runs',
    filter: {
      target: typeof s.filter?.target === 'string' ? s.filter.target : '',
      status: typeof s.filter?.status === 'string' ? s.filter.status : '',
      text: typeof s.filter?.text === 'string' ? s.filter.text : '',
    },
    selectedRunId: typeof s.selectedRunId === 'string' ? s.selectedRunId : undefined,
    runsScrollTop: typeof s.runsScrollTop === 'number' ? s.runsScrollTop : 0,
    compareIds: Array.isArray(s.compareIds) ? s.compareIds.filter((x): x is string => typeof x === 'string') : null,
    referenceKey: typeof s.referenceKey === 'string' ? s.referenceKey : undefined,
    tolerance: typeof s.tolerance === 'number' && s.tolerance > 0 ? s.tolerance : DEFAULT_STATE.tolerance,
    exportFormat: s.exportFormat === 'csv' || s.exportFormat === 'json' ? s.exportFormat : 'markdown',
    expanded: Array.isArray(s.expanded) ? s.expanded.filter((x): x is string => typeof x === 'string') : [],
  };
}

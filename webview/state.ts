/** What survives hiding and reloading the panel (getState/setState); run data comes back from the host. */
import type { ExportFormat } from '../src/protocol';
import { OBJECTIVES, type Objective } from '../src/run/choose';
import { DEFAULT_COMPARE_TOLERANCE, type CompareTolerance } from '../src/run/compare';
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
  /** Same atol/rtol semantics as `porta compare --atol --rtol`. */
  tolerance: CompareTolerance;
  exportFormat: ExportFormat;
  /** What "best target" means on the Compare page, as `porta compare --objective`. */
  objective: Objective;
  /** Readiness targets whose item lists are open. */
  expanded: string[];
}

export const DEFAULT_STATE: UiState = {
  page: 'runs',
  filter: EMPTY_FILTER,
  runsScrollTop: 0,
  compareIds: null,
  tolerance: DEFAULT_COMPARE_TOLERANCE,
  exportFormat: 'markdown',
  objective: 'latency',
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
    tolerance: restoreTolerance(s.tolerance),
    exportFormat: s.exportFormat === 'csv' || s.exportFormat === 'json' ? s.exportFormat : 'markdown',
    objective: OBJECTIVES.includes(s.objective as Objective) ? (s.objective as Objective) : 'latency',
    expanded: Array.isArray(s.expanded) ? s.expanded.filter((x): x is string => typeof x === 'string') : [],
  };
}

const nonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** atol/rtol; an older state kept one absolute tolerance (a number): it becomes atol. */
function restoreTolerance(saved: unknown): CompareTolerance {
  if (nonNegative(saved)) return { atol: saved, rtol: DEFAULT_COMPARE_TOLERANCE.rtol };
  const t = saved as Partial<CompareTolerance> | undefined;
  return {
    atol: nonNegative(t?.atol) ? t.atol : DEFAULT_COMPARE_TOLERANCE.atol,
    rtol: nonNegative(t?.rtol) ? t.rtol : DEFAULT_COMPARE_TOLERANCE.rtol,
  };
}

/**
 * The end of a multi-target run: its runs become the comparison, with the automatic reference (a saved one may
 * name a run that is not among them), and the Compare page shows.
 */
export function compareRunsState(state: UiState, runIds: readonly string[]): UiState {
  return { ...state, page: 'compare', compareIds: [...new Set(runIds)], referenceKey: undefined };
}

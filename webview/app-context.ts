/** What every page shares: the data from the host, the saved UI state, and the way back to the host. */
import type { ReadinessView, WebviewMessage } from '../src/protocol';
import type { RunRecord } from '../src/run/record';
import type { Page, UiState } from './state';

export interface AppContext {
  state: UiState;
  runs: RunRecord[];
  readiness: ReadinessView | null;
  readinessError?: string;
  /** Persists `state` (getState/setState). */
  save(): void;
  post(message: WebviewMessage): void;
  showPage(page: Page): void;
  /** Transient message in the status line. */
  notify(text: string, level?: 'info' | 'error'): void;
}

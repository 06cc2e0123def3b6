/** Dashboard entry point: registers the toolkit components, builds the three pages, and talks to the host. */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';
import type { HostMessage } from '../src/protocol';
import type { AppContext } from './app-context';
import { h } from './dom';
import { upsertRun } from './model/runs';
import { ComparePage } from './pages/compare';
import { ReadinessPage } from './pages/readiness';
import { RunsPage } from './pages/runs';
import { compareRunsState, restoreState, type Page, type UiState } from './state';
import { vscodeApi } from './vscode-api';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption(), vsCodePanels(), vsCodePanelTab(), vsCodePanelView(), vsCodeTextField());

const api = vscodeApi<UiState>();
const PAGES: Page[] = ['runs', 'compare', 'readiness'];
const TITLES: Record<Page, string> = { runs: 'Runs', compare: 'Compare', readiness: 'Readiness' };

const status = h('div', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
let statusTimer: ReturnType<typeof setTimeout> | undefined;

const ctx: AppContext = {
  state: restoreState(api.getState()),
  runs: [],
  readiness: null,
  save: () => api.setState(ctx.state),
  post: (message) => api.postMessage(message),
  showPage: (page) => showPage(page),
  notify: (text, level = 'info') => {
    status.textContent = text;
    status.className = `status-line ${level}`;
    if (statusTimer) clearTimeout(statusTimer);
    statusTimer = setTimeout(() => (status.textContent = ''), level === 'error' ? 10000 : 5000);
  },
};

const runsPage = new RunsPage(ctx);
const comparePage = new ComparePage(ctx);
const readinessPage = new ReadinessPage(ctx);
const roots: Record<Page, HTMLElement> = { runs: runsPage.root, compare: comparePage.root, readiness: readinessPage.root };

const panels = h('vscode-panels', { activeid: `tab-${ctx.state.page}`, 'aria-label': 'Porta dashboard' },
  ...PAGES.map((p) => h('vscode-panel-tab', { id: `tab-${p}` }, TITLES[p])),
  ...PAGES.map((p) => h('vscode-panel-view', { id: `view-${p}` }, roots[p])),
) as HTMLElement & { activeid: string };
panels.addEventListener('change', () => {
  const page = panels.activeid?.replace(/^tab-/, '') as Page;
  if (!PAGES.includes(page) || page === ctx.state.page) return;
  ctx.state.page = page;
  ctx.save();
  refreshPage(page);
});

function showPage(page: Page): void {
  stale.add(page);
  ctx.state.page = page;
  ctx.save();
  panels.activeid = `tab-${page}`;
  refreshPage(page);
}

/** Pages whose data changed while hidden; they re-render when shown, so a big history costs one page at a time. */
const stale = new Set<Page>();

function refreshPage(page: Page): void {
  if (stale.delete(page)) {
    if (page === 'runs') runsPage.update();
    else if (page === 'compare') comparePage.update();
    else readinessPage.update();
  }
  if (page === 'runs') runsPage.shown();
}

/** New data for some pages: re-render the visible one now, the others when they are shown. */
function invalidate(...pages: Page[]): void {
  for (const page of pages) stale.add(page);
  if (stale.has(ctx.state.page)) refreshPage(ctx.state.page);
}

document.body.append(h('main', { class: 'dashboard' }, panels, status));

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null || typeof message.type !== 'string') return;
  switch (message.type) {
    case 'init':
      ctx.runs = message.runs;
      ctx.readiness = message.readiness;
      ctx.readinessError = message.readinessError;
      document.title = `Porta — ${message.workspaceName}`;
      invalidate('runs', 'compare', 'readiness');
      break;
    case 'runs':
      ctx.runs = message.runs;
      invalidate('runs', 'compare');
      break;
    case 'runUpdated':
      ctx.runs = upsertRun(ctx.runs, message.run);
      invalidate('runs', 'compare');
      break;
    case 'logTail':
      runsPage.logTail(message.runId, message.lines, message.truncated);
      break;
    case 'readiness':
      ctx.readiness = message.readiness;
      ctx.readinessError = message.error;
      invalidate('readiness');
      break;
    case 'focusRun':
      ctx.state.selectedRunId = message.runId;
      showPage('runs');
      runsPage.select(message.runId);
      break;
    case 'compareRuns':
      Object.assign(ctx.state, compareRunsState(ctx.state, message.runIds));
      ctx.save();
      showPage('compare');
      break;
    case 'notice':
      ctx.notify(message.text, message.level);
      break;
  }
});

api.postMessage({ type: 'ready' });

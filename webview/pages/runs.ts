/** Runs page: the run history as a virtual list (1,000+ runs), filters, details, live log tail, cancel and re-run. */
import { describeRunCost, formatMoney } from '../../src/run/cost';
import type { RunRecord, RunStatus } from '../../src/run/record';
import type { AppContext } from '../app-context';
import { clear, h, settleDropdown, type ValueElement } from '../dom';
import { durationMs, formatBytes, formatMs, formatNumber, formatWhen } from '../model/format';
import { countByStatus, filterRuns, isActive, runFacets, shimSummary, sortRuns, visibleWindow } from '../model/runs';
import { shortProvider } from '../model/compare';

const ROW_HEIGHT = 28;
const STATUSES: RunStatus[] = ['running', 'queued', 'succeeded', 'failed', 'cancelled', 'lost'];

export class RunsPage {
  readonly root = h('div', { class: 'page runs-page' });
  private readonly viewport = h('div', { class: 'run-list', role: 'listbox', tabindex: 0, 'aria-label': 'Runs' });
  private readonly spacer = h('div', { class: 'run-list-spacer' });
  private readonly rowsEl = h('div', { class: 'run-list-rows' });
  private readonly details = h('section', { class: 'run-details', 'aria-label': 'Run details', 'aria-live': 'polite' });
  private readonly count = h('span', { class: 'count', 'aria-live': 'polite' });
  private readonly filters = h('div', { class: 'toolbar' });
  private sorted: RunRecord[] = [];
  private visible: RunRecord[] = [];
  private facetKey = '';
  private logLines: string[] = [];
  private logTruncated = false;
  private watching: string | null = null;
  private renderScheduled = false;

  constructor(private readonly ctx: AppContext) {
    this.spacer.append(this.rowsEl);
    this.viewport.append(this.spacer);
    const header = h(
      'div',
      { class: 'run-row run-header', 'aria-hidden': 'true' },
      ...['Status', 'Started', 'Target', 'Backend', 'Entry', 'Duration', 'Result'].map((t) => h('span', {}, t)),
    );
    this.root.append(this.filters, h('div', { class: 'runs-split' }, h('div', { class: 'run-list-wrap' }, header, this.viewport), this.details));
    this.viewport.addEventListener('scroll', () => {
      this.ctx.state.runsScrollTop = this.viewport.scrollTop;
      this.scheduleRender();
    });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.viewport.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('[data-run-id]');
      if (row?.dataset.runId) this.select(row.dataset.runId);
    });
    new ResizeObserver(() => this.scheduleRender()).observe(this.viewport);
  }

  /** New or changed run data. */
  update(): void {
    this.sorted = sortRuns(this.ctx.runs);
    this.renderFilters();
    this.applyFilter(false);
    this.renderDetails();
  }

  logTail(runId: string, lines: string[], truncated: boolean): void {
    if (runId !== this.ctx.state.selectedRunId) return;
    this.logLines = lines;
    this.logTruncated = truncated;
    this.renderLog();
  }

  /** Called when the page becomes visible again (restores the scroll position). */
  shown(): void {
    this.viewport.scrollTop = this.ctx.state.runsScrollTop;
    this.scheduleRender();
    this.follow();
  }

  private renderFilters(): void {
    const facets = runFacets(this.sorted);
    const key = `${facets.targets.join(',')}|${facets.statuses.join(',')}`;
    if (key === this.facetKey) return;
    this.facetKey = key;
    const f = this.ctx.state.filter;
    const text = h('vscode-text-field', { placeholder: 'Filter by id, entry, backend, command', value: f.text, class: 'filter-text', 'aria-label': 'Filter runs' }) as ValueElement;
    text.addEventListener('input', () => this.setFilter({ text: text.value }));
    const target = dropdown('Target', ['', ...facets.targets], f.target, (v) => (v === '' ? 'All targets' : v), (v) => this.setFilter({ target: v }));
    const statuses = STATUSES.filter((st) => facets.statuses.includes(st) || st === f.status);
    const status = dropdown('Status', ['', ...statuses], f.status, (v) => (v === '' ? 'All statuses' : v), (v) => this.setFilter({ status: v as RunStatus | '' }));
    const refresh = h('vscode-button', { appearance: 'secondary', onclick: () => this.ctx.post({ type: 'refresh' }) }, 'Refresh');
    clear(this.filters);
    this.filters.append(text, target, status, refresh, this.count);
  }

  private setFilter(patch: Partial<AppContext['state']['filter']>): void {
    this.ctx.state.filter = { ...this.ctx.state.filter, ...patch };
    this.ctx.save();
    this.applyFilter(true);
  }

  private applyFilter(resetScroll: boolean): void {
    this.visible = filterRuns(this.sorted, this.ctx.state.filter);
    if (resetScroll) {
      this.viewport.scrollTop = 0;
      this.ctx.state.runsScrollTop = 0;
    }
    const counts = countByStatus(this.sorted);
    const active = (counts.running ?? 0) + (counts.queued ?? 0);
    this.count.textContent = `${this.visible.length} of ${this.sorted.length} runs${active ? ` · ${active} active` : ''}`;
    this.spacer.style.height = `${this.visible.length * ROW_HEIGHT}px`;
    this.renderRows();
    if (this.visible.length === 0) {
      this.rowsEl.append(h('div', { class: 'empty' }, this.sorted.length === 0 ? 'No runs yet. Start one with “Porta: Run on Target…” or `porta run`.' : 'No run matches the filter.'));
    }
  }

  private scheduleRender(): void {
    if (this.renderScheduled) return;
    this.renderScheduled = true;
    requestAnimationFrame(() => {
      this.renderScheduled = false;
      this.renderRows();
    });
  }

  /** Renders only the rows in view (plus overscan). */
  private renderRows(): void {
    const win = visibleWindow(this.viewport.scrollTop, this.viewport.clientHeight || 400, ROW_HEIGHT, this.visible.length);
    const now = Date.now();
    const rows: HTMLElement[] = [];
    for (let i = win.start; i < win.end; i++) rows.push(this.row(this.visible[i], i, now));
    this.rowsEl.style.transform = `translateY(${win.offsetTop}px)`;
    this.rowsEl.replaceChildren(...rows);
    const selected = this.ctx.state.selectedRunId;
    if (selected) this.viewport.setAttribute('aria-activedescendant', `run-${selected}`);
  }

  private row(run: RunRecord, index: number, now: number): HTMLElement {
    const selected = run.id === this.ctx.state.selectedRunId;
    return h(
      'div',
      {
        class: `run-row${selected ? ' selected' : ''}`,
        role: 'option',
        id: `run-${run.id}`,
        'aria-selected': selected ? 'true' : 'false',
        'aria-posinset': index + 1,
        'aria-setsize': this.visible.length,
        'data-run-id': run.id,
        title: run.error ?? run.command.join(' '),
      },
      h('span', { class: `status status-${run.status}` }, statusIcon(run.status), ' ', run.status),
      h('span', {}, formatWhen(run.startedAt)),
      h('span', {}, run.target),
      h('span', {}, run.resolvedBackend && run.resolvedBackend !== run.backend ? `${run.backend}→${run.resolvedBackend}` : run.backend),
      h('span', { class: 'entry' }, run.kind === 'onnx-bench' ? h('span', { class: 'kind-tag' }, 'onnx') : null, run.entry),
      h('span', { class: 'num' }, formatMs(durationMs(run.startedAt, run.endedAt, now))),
      h('span', { class: 'num' }, headline(run)),
    );
  }

  private onKey(e: KeyboardEvent): void {
    if (this.visible.length === 0) return;
    const index = this.visible.findIndex((r) => r.id === this.ctx.state.selectedRunId);
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + page, PageUp: index - page, Home: 0, End: this.visible.length - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = Math.min(this.visible.length - 1, Math.max(0, index < 0 ? 0 : moves[e.key]));
    this.select(this.visible[next].id);
  }

  /** Scrolls the virtual list just enough to show a row. */
  private reveal(index: number): void {
    if (index < 0) return;
    const top = index * ROW_HEIGHT;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > this.viewport.scrollTop + this.viewport.clientHeight) this.viewport.scrollTop = top + ROW_HEIGHT - this.viewport.clientHeight;
  }

  select(id: string): void {
    if (this.ctx.state.selectedRunId !== id) {
      this.ctx.state.selectedRunId = id;
      this.logLines = [];
      this.logTruncated = false;
      this.ctx.save();
    }
    this.reveal(this.visible.findIndex((r) => r.id === id));
    this.renderRows();
    this.renderDetails();
    this.follow();
  }

  /** Asks the host for the selected run's log (it keeps following while the run is active). */
  private follow(): void {
    const id = this.ctx.state.selectedRunId ?? null;
    if (id === this.watching) return;
    this.watching = id;
    this.ctx.post({ type: 'watchLog', runId: id });
  }

  private renderDetails(): void {
    const run = this.ctx.runs.find((r) => r.id === this.ctx.state.selectedRunId);
    clear(this.details);
    if (!run) {
      this.details.append(h('p', { class: 'muted' }, 'Select a run to see its details and log.'));
      return;
    }
    const now = Date.now();
    const actions = h('div', { class: 'actions' });
    if (isActive(run)) actions.append(h('vscode-button', { onclick: () => this.ctx.post({ type: 'cancelRun', runId: run.id }) }, 'Cancel run'));
    else actions.append(h('vscode-button', { onclick: () => this.ctx.post({ type: 'rerun', runId: run.id }) }, 'Re-run'));
    if (run.status === 'succeeded') {
      actions.append(
        h('vscode-button', {
          appearance: 'secondary',
          onclick: () => {
            const ids = this.ctx.state.compareIds ?? [];
            if (!ids.includes(run.id)) this.ctx.state.compareIds = [...ids, run.id];
            this.ctx.showPage('compare');
          },
        }, 'Add to comparison'),
      );
    }
    const fields: Array<[string, string | undefined]> = [
      ['Run', run.id],
      ['Target', `${run.target} (${run.targetKind})`],
      ['Backend', run.resolvedBackend && run.resolvedBackend !== run.backend ? `${run.backend} → ${run.resolvedBackend}` : run.backend],
      ['Command', run.command.join(' ')],
      ['Started', formatWhen(run.startedAt)],
      ['Duration', formatMs(durationMs(run.startedAt, run.endedAt, now))],
      ['Exit code', run.exitCode === undefined || run.exitCode === null ? undefined : String(run.exitCode)],
      ['Slurm job', run.slurmJobId],
      ['Runtime shim', run.shim ? shimSummary(run.shimReport) ?? 'yes' : undefined],
      // A run that ended with an exit code ran: without a cost its target had no price (never shown as free).
      ['Cost', describeRunCost(run.cost, run.exitCode !== undefined && run.exitCode !== null)],
    ];
    const m = run.metrics;
    const metricFields: Array<[string, string | undefined]> = [
      ['Latency p50 / p99', m.latencyMs ? `${formatMs(m.latencyMs.p50)} / ${formatMs(m.latencyMs.p99)}` : undefined],
      ['Throughput', m.throughput === undefined ? undefined : `${formatNumber(m.throughput)} /s`],
      ['Peak memory', m.peakMemoryBytes === undefined ? undefined : formatBytes(m.peakMemoryBytes)],
      ['Start-up', m.startupMs === undefined ? undefined : formatMs(m.startupMs)],
      ...Object.entries(m.custom ?? {}).map(([k, v]): [string, string] => [k, formatNumber(v, 4)]),
    ];
    this.details.append(
      h('h2', {}, h('span', { class: `status status-${run.status}` }, statusIcon(run.status)), ' ', run.entry),
      ...(run.error ? [h('p', { class: 'error-text', role: 'alert' }, run.error)] : []),
      actions,
      definitionList([...fields, ...metricFields]),
    );
    if (run.providers?.length) {
      this.details.append(
        h('table', { class: 'data' },
          h('thead', {}, h('tr', {}, ...['Provider', 'p50', 'Throughput', 'Cost / 1k inf.', 'Parity'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, ...run.providers.map((p) => h('tr', {},
            h('td', {}, shortProvider(p.provider)),
            p.available ? h('td', { class: 'num' }, formatMs(p.metrics?.latencyMs?.p50)) : h('td', { colspan: 4, class: 'muted' }, p.reason ?? 'unavailable'),
            p.available ? h('td', { class: 'num' }, p.metrics?.throughput === undefined ? '—' : `${formatNumber(p.metrics.throughput)} /s`) : null,
            p.available ? h('td', { class: 'num' }, p.costPer1kInferences !== undefined && run.cost ? formatMoney(p.costPer1kInferences, run.cost.currency) : run.cost ? '—' : 'no price') : null,
            p.available ? h('td', {}, !p.parity?.length ? '—' : p.parity.every((x) => x.withinTolerance) ? '✓ within tolerance' : '✗ drift') : null,
          ))),
        ),
      );
    }
    this.details.append(h('h3', {}, isActive(run) ? 'Log (live)' : 'Log'), h('pre', { class: 'log', tabindex: 0, 'aria-label': 'Log tail' }));
    this.renderLog();
  }

  private renderLog(): void {
    const pre = this.details.querySelector('pre.log');
    if (!pre) return;
    pre.textContent = (this.logTruncated ? '…\n' : '') + (this.logLines.length ? this.logLines.join('\n') : '(no output yet)');
    pre.scrollTop = pre.scrollHeight;
  }
}

function dropdown(label: string, values: string[], current: string, text: (v: string) => string, onChange: (v: string) => void): HTMLElement {
  const el = h('vscode-dropdown', { 'aria-label': label, class: 'filter-dropdown' }, ...values.map((v) => h('vscode-option', { value: v, selected: v === current }, text(v)))) as ValueElement;
  el.addEventListener('change', () => onChange(el.value));
  settleDropdown(el, current);
  return el;
}

function definitionList(fields: Array<[string, string | undefined]>): HTMLElement {
  return h('dl', { class: 'fields' }, ...fields.filter(([, v]) => v !== undefined && v !== '').flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export function statusIcon(status: RunStatus): string {
  return { queued: '◷', running: '▶', succeeded: '✓', failed: '✗', cancelled: '■', lost: '?' }[status];
}

/** The one figure that sums up a run in the list. */
function headline(run: RunRecord): string {
  if (run.kind === 'onnx-bench' && run.providers?.length) {
    const ok = run.providers.filter((p) => p.available && p.metrics?.latencyMs);
    if (!ok.length) return run.status === 'succeeded' ? 'no provider ran' : '';
    const best = ok.reduce((a, b) => (a.metrics!.latencyMs!.p50 <= b.metrics!.latencyMs!.p50 ? a : b));
    return `${formatMs(best.metrics!.latencyMs!.p50)} ${shortProvider(best.provider)}`;
  }
  if (run.metrics.latencyMs) return `p50 ${formatMs(run.metrics.latencyMs.p50)}`;
  if (run.metrics.throughput !== undefined) return `${formatNumber(run.metrics.throughput)} /s`;
  if (run.exitCode !== undefined && run.exitCode !== null && run.status === 'failed') return `exit ${run.exitCode}`;
  return '';
}

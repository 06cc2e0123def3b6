/**
 * Compare page: pick runs, see the latency–cost chart, latency/throughput/memory/drift charts, the best target under
 * the picked objective, and export the comparison.
 */
import { EXPORT_FORMATS, type ExportAction, type ExportFormat } from '../../src/protocol';
import { OBJECTIVES, type Objective } from '../../src/run/choose';
import { formatMoney } from '../../src/run/cost';
import type { RunRecord } from '../../src/run/record';
import type { AppContext } from '../app-context';
import { barChart, type BarGroup } from '../charts';
import { latencyCostChart } from '../costChart';
import { clear, h, settleDropdown, type ValueElement } from '../dom';
import { buildComparison, defaultComparisonIds, shortProvider, type ComparisonView as Comparison, type ComparisonRow } from '../model/compare';
import { exportComparison, exportFileName } from '../model/export';
import { formatBytes, formatError, formatMs, formatNumber, formatWhen } from '../model/format';
import { sortRuns } from '../model/runs';

/** The picker shows the newest runs plus the picked ones; the text box finds older ones. */
const PICKER_LIMIT = 40;
const FORMAT_LABEL: Record<ExportFormat, string> = { markdown: 'Markdown table', csv: 'CSV', json: 'JSON' };
const OBJECTIVE_LABEL: Record<Objective, string> = { latency: 'Best: fastest', cost: 'Best: cheapest', balanced: 'Best: balanced' };

export class ComparePage {
  readonly root = h('div', { class: 'page compare-page' });
  private readonly picker = h('div', { class: 'picker', role: 'group', 'aria-label': 'Runs to compare' });
  private readonly body = h('div', { class: 'compare-body' });
  private pickerText = '';
  private comparison: Comparison | undefined;

  constructor(private readonly ctx: AppContext) {
    const search = h('vscode-text-field', { placeholder: 'Find runs', class: 'picker-search', 'aria-label': 'Find runs to compare' }) as ValueElement;
    search.addEventListener('input', () => {
      this.pickerText = search.value.trim().toLowerCase();
      this.renderPicker();
    });
    this.root.append(h('aside', { class: 'picker-wrap' }, h('h2', {}, 'Runs'), search, this.picker), this.body);
  }

  /** The ids being compared: the user's pick, or a sensible default. */
  selectedIds(): string[] {
    const picked = this.ctx.state.compareIds;
    if (picked === null) return defaultComparisonIds(this.ctx.runs);
    const known = new Set(this.ctx.runs.map((r) => r.id));
    return picked.filter((id) => known.has(id));
  }

  update(): void {
    this.renderPicker();
    this.renderBody();
  }

  private comparable(): RunRecord[] {
    return sortRuns(this.ctx.runs.filter((r) => r.status !== 'queued' && r.status !== 'running'));
  }

  private renderPicker(): void {
    const selected = new Set(this.selectedIds());
    const text = this.pickerText;
    const all = this.comparable();
    const matches = all.filter((r) => !text || `${r.id} ${r.target} ${r.backend} ${r.entry}`.toLowerCase().includes(text));
    const shown = [...matches.filter((r) => selected.has(r.id)), ...matches.filter((r) => !selected.has(r.id)).slice(0, PICKER_LIMIT)];
    clear(this.picker);
    for (const run of shown) {
      const id = `pick-${run.id}`;
      const box = h('input', { type: 'checkbox', id, checked: selected.has(run.id), 'data-run-id': run.id }) as HTMLInputElement;
      box.addEventListener('change', () => this.toggle(run.id, box.checked));
      this.picker.append(
        h('label', { for: id, class: `pick status-${run.status}` }, box, h('span', { class: 'pick-title' }, `${run.target} · ${run.resolvedBackend ?? run.backend}`), h('span', { class: 'pick-sub' }, `${run.entry} · ${formatWhen(run.startedAt)} · ${run.status}`)),
      );
    }
    if (matches.length > shown.length) this.picker.append(h('p', { class: 'muted' }, `${matches.length - shown.length} older runs: type to find them.`));
    if (!all.length) this.picker.append(h('p', { class: 'muted' }, 'No finished runs yet.'));
  }

  private toggle(id: string, on: boolean): void {
    const current = this.selectedIds();
    this.ctx.state.compareIds = on ? [...new Set([...current, id])] : current.filter((x) => x !== id);
    this.ctx.save();
    this.update();
  }

  private renderBody(): void {
    clear(this.body);
    const ids = this.selectedIds();
    const comparison = buildComparison(this.ctx.runs, ids, { referenceKey: this.ctx.state.referenceKey, tolerance: this.ctx.state.tolerance, objective: this.ctx.state.objective });
    this.comparison = comparison;
    if (!comparison.rows.length) {
      this.body.append(h('div', { class: 'empty' }, h('h2', {}, 'Nothing to compare yet'), h('p', {}, 'Run the same script or benchmark on two targets, then pick the runs on the left.'),
        this.ctx.state.compareIds !== null ? h('vscode-button', { appearance: 'secondary', onclick: () => { this.ctx.state.compareIds = null; this.ctx.save(); this.update(); } }, 'Pick for me') : null));
      return;
    }
    this.body.append(this.bestCallout(comparison), this.controls(comparison));
    const rows = comparison.rows;
    const best = comparison.winner;
    const group = (r: ComparisonRow, values: Array<number | undefined>, extra: Partial<BarGroup> = {}): BarGroup => ({
      label: r.label,
      values,
      highlight: r.key === best,
      note: r.available ? 'no figure recorded' : `unavailable: ${r.reason ?? r.status}`,
      ...extra,
    });
    const charts = h('div', { class: 'charts' });
    charts.append(this.costSection(comparison));
    if (rows.some((r) => r.latency)) {
      charts.append(section('Latency percentiles (lower is better)', barChart({
        title: 'Latency percentiles in milliseconds',
        series: [{ name: 'p50', cls: 'series-1' }, { name: 'p90', cls: 'series-2' }, { name: 'p99', cls: 'series-3' }],
        groups: rows.map((r) => group(r, [r.latency?.p50, r.latency?.p90, r.latency?.p99])),
        format: formatMs,
      })));
    }
    if (rows.some((r) => r.throughput !== undefined)) {
      charts.append(section('Throughput (higher is better)', barChart({
        title: 'Throughput in items per second',
        series: [{ name: 'items/s', cls: 'series-1' }],
        groups: rows.map((r) => group(r, [r.throughput])),
        format: (v) => `${formatNumber(v, v < 10 ? 2 : 0)}/s`,
      })));
    }
    // Script runs have no latency distribution: their wall time is the figure to compare.
    if (rows.some((r) => r.available && !r.latency && r.wallMs !== undefined)) {
      charts.append(section('Wall time (lower is better)', barChart({
        title: 'Wall time of the script in seconds',
        series: [{ name: 'wall', cls: 'series-2' }],
        groups: rows.map((r) => group(r, [r.wallMs === undefined ? undefined : r.wallMs / 1000])),
        format: (v) => `${formatNumber(v, v < 10 ? 2 : 1)} s`,
      })));
    }
    if (rows.some((r) => r.peakMemoryBytes !== undefined)) {
      // Ticks in round MiB or GiB, not in bytes.
      const max = Math.max(...rows.map((r) => r.peakMemoryBytes ?? 0));
      const [unit, size] = max >= 1024 ** 3 ? ['GiB', 1024 ** 3] : ['MiB', 1024 ** 2];
      charts.append(section('Peak memory (lower is better)', barChart({
        title: `Peak memory in ${unit}`,
        series: [{ name: 'peak', cls: 'series-4' }],
        groups: rows.map((r) => group(r, [r.peakMemoryBytes === undefined ? undefined : r.peakMemoryBytes / size])),
        format: (v) => `${formatNumber(v, unit === 'GiB' ? 2 : 0)} ${unit}`,
      })));
    }
    if (rows.some((r) => r.maxAbsError !== undefined)) {
      const recordedOnly = rows.every((r) => r.paritySource !== 'values');
      const against = recordedOnly ? "each run's CPU provider (recorded parity)" : comparison.referenceKey ? rows.find((r) => r.key === comparison.referenceKey)?.label : 'reference';
      charts.append(section(`Parity drift vs ${against} (max abs error, log scale)`, barChart({
        title: `Maximum absolute error against the reference; tolerance atol ${comparison.tolerance.atol}, rtol ${comparison.tolerance.rtol}`,
        series: [{ name: 'max abs error', cls: 'series-ok' }],
        groups: rows.map((r) => group(r, [r.maxAbsError !== undefined && Number.isFinite(r.maxAbsError) && r.maxAbsError > 0 ? r.maxAbsError : undefined], {
          valueClass: [r.withinTolerance === false ? 'over' : undefined],
          note: r.key === comparison.referenceKey
            ? 'reference'
            : r.maxAbsError === 0
              ? '✓ identical to the reference'
              : r.maxAbsError === Number.POSITIVE_INFINITY
                ? 'outputs differ (shapes or NaN)'
                : r.available ? 'parity not checked' : `unavailable: ${r.reason ?? r.status}`,
        })),
        format: formatError,
        log: true,
        marker: { value: comparison.tolerance.atol, label: `atol ${comparison.tolerance.atol}` },
      })));
    }
    this.body.append(charts, this.table(comparison));
    const results = this.resultsTable(comparison);
    if (results) this.body.append(results);
  }

  /**
   * The accuracy parity of script runs: one column per metric the scripts reported (RESULT line), each value with its
   * difference from the reference and the verdict under atol/rtol. Timings (`*_ms`, `*_bytes`) are not accuracy: left out.
   */
  private resultsTable(comparison: Comparison): HTMLElement | undefined {
    const rows = comparison.rows.filter((r) => r.available);
    const names = [...new Set(rows.flatMap((r) => Object.keys(r.customValues)))];
    if (!names.length) return undefined;
    const cell = (r: ComparisonRow, name: string): HTMLElement => {
      const value = r.customValues[name];
      if (value === undefined) return h('td', { class: 'num muted' }, '—');
      const check = r.metrics.find((m) => m.name === name);
      if (!check) return h('td', { class: 'num' }, formatValue(value), r.key === comparison.referenceKey ? null : h('span', { class: 'muted' }, ' (not compared)'));
      const diff = `${check.diff > 0 ? '+' : ''}${check.diff === 0 ? '0' : Math.abs(check.diff) < 1e-3 ? check.diff.toExponential(1) : formatValue(check.diff)}`;
      return h('td', { class: check.withinTolerance ? 'num' : 'num drift', title: `reference ${formatValue(check.reference)}` },
        formatValue(value), h('span', { class: 'diff' }, ` (Δ ${diff}) ${check.withinTolerance ? '✓' : '✗'}`));
    };
    const { atol, rtol } = comparison.tolerance;
    return section(`Script results vs the reference (|Δ| ≤ ${atol} + ${rtol}·|reference|)`, h('table', { class: 'data results-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Target'), h('th', { scope: 'col' }, 'Backend'), ...names.map((n) => h('th', { scope: 'col', class: 'num' }, n)), h('th', { scope: 'col' }, 'Parity'))),
      h('tbody', {}, ...rows.map((r) => h('tr', {},
        h('th', { scope: 'row' }, r.label),
        h('td', {}, r.provider ?? r.backend),
        ...names.map((n) => cell(r, n)),
        h('td', { class: r.withinTolerance === false ? 'drift' : '' }, r.key === comparison.referenceKey ? 'reference' : r.withinTolerance === undefined ? '—' : r.withinTolerance ? '✓ ok' : '✗ drift'),
      ))),
    ));
  }

  /** The latency–cost plane with its Pareto front, or why there is none (no prices, mixed currencies). */
  private costSection(comparison: Comparison): HTMLElement {
    const choice = comparison.choice;
    const unpriced = comparison.rows.filter((r) => r.available && !r.cost).map((r) => r.label);
    const others = [...new Set(comparison.rows.flatMap((r) => (r.cost && r.cost.currency !== choice.currency ? [r.cost.currency] : [])))];
    const notes = [
      unpriced.length ? `No price: ${unpriced.join(', ')} (set price_per_hour for the target in porta.toml).` : '',
      others.length ? `Priced in ${others.join(', ')}: not drawn, Porta does not convert currencies.` : '',
    ].filter(Boolean);
    if (!choice.points.length) {
      return section('Latency and cost', h('p', { class: 'chart-note cost-note' }, 'No compared run has a price, so there is nothing to weigh latency against. ', ...notes));
    }
    return section('Latency and cost (lower left is better; the dashed line is the Pareto front)', h('div', {}, latencyCostChart(choice),
      notes.length ? h('p', { class: 'chart-note cost-note' }, notes.join(' ')) : null));
  }

  private bestCallout(comparison: Comparison): HTMLElement {
    const objective = this.ctx.state.objective;
    const choice = comparison.choice;
    const winner = comparison.rows.find((r) => r.key === comparison.winner);
    if (!winner) {
      return h('div', { class: 'callout warn', role: 'status' }, h('strong', {}, 'No target to recommend: '), choice.reason.replace(/^No target to recommend: /, ''));
    }
    const cost = winner.cost
      ? (winner.costPer1kInferences !== undefined ? `${formatMoney(winner.costPer1kInferences, winner.cost.currency)} per 1,000 inferences` : `${formatMoney(winner.cost.amount, winner.cost.currency)} for the run`)
      : 'no price';
    // The shared choice's words, as `porta compare --objective` and multi-target runs print them.
    const summary = choice.reason;
    const excluded = choice.excluded;
    return h(
      'div',
      { class: 'callout best', role: 'status' },
      h('div', { class: 'callout-title' }, `★ Best target · ${OBJECTIVE_LABEL[objective].replace('Best: ', '')}`),
      h('div', { class: 'callout-summary' }, summary),
      objective === 'latency' ? h('div', { class: 'callout-cost' }, `Cost: ${cost}.`) : null,
      excluded.length
        ? h('ul', { class: 'excluded' }, ...excluded.map((e) => h('li', {}, h('strong', {}, e.label), `: ${e.why}`)))
        : null,
    );
  }

  private controls(comparison: Comparison): HTMLElement {
    const ref = h(
      'vscode-dropdown',
      { 'aria-label': 'Parity reference', class: 'reference' },
      h('vscode-option', { value: '', selected: !this.ctx.state.referenceKey }, 'Reference: automatic'),
      ...comparison.rows.filter((r) => r.available).map((r) => h('vscode-option', { value: r.key, selected: r.key === comparison.referenceKey }, `Reference: ${r.label}`)),
    ) as ValueElement;
    settleDropdown(ref, this.ctx.state.referenceKey && comparison.referenceKey === this.ctx.state.referenceKey ? comparison.referenceKey : '');
    ref.addEventListener('change', () => {
      this.ctx.state.referenceKey = ref.value || undefined;
      this.ctx.save();
      this.renderBody();
    });
    const tolField = (key: 'atol' | 'rtol', label: string) => {
      const field = h('vscode-text-field', { value: String(comparison.tolerance[key]), size: 8, 'aria-label': label, class: key === 'atol' ? 'tolerance atol' : 'tolerance-rtol rtol' }, key) as ValueElement;
      field.addEventListener('change', () => {
        const value = Number(field.value);
        if (field.value.trim() !== '' && Number.isFinite(value) && value >= 0) {
          this.ctx.state.tolerance = { ...this.ctx.state.tolerance, [key]: value };
          this.ctx.save();
          this.renderBody();
        } else {
          this.ctx.notify(`${key} must be a non-negative number, not "${field.value}".`, 'error');
        }
      });
      return field;
    };
    const objective = h('vscode-dropdown', { 'aria-label': 'What the best target is best at', class: 'objective' },
      ...OBJECTIVES.map((o) => h('vscode-option', { value: o, selected: o === this.ctx.state.objective }, OBJECTIVE_LABEL[o]))) as ValueElement;
    settleDropdown(objective, this.ctx.state.objective);
    objective.addEventListener('change', () => {
      if (!OBJECTIVES.includes(objective.value as Objective) || objective.value === this.ctx.state.objective) return;
      this.ctx.state.objective = objective.value as Objective;
      this.ctx.save();
      this.renderBody();
    });
    const tol = tolField('atol', 'Absolute tolerance (atol)');
    const rtol = tolField('rtol', 'Relative tolerance (rtol)');
    const format = h('vscode-dropdown', { 'aria-label': 'Export format', class: 'export-format' },
      ...EXPORT_FORMATS.map((f) => h('vscode-option', { value: f, selected: f === this.ctx.state.exportFormat }, FORMAT_LABEL[f]))) as ValueElement;
    settleDropdown(format, this.ctx.state.exportFormat);
    format.addEventListener('change', () => {
      this.ctx.state.exportFormat = format.value as ExportFormat;
      this.ctx.save();
    });
    const exportAs = (action: ExportAction) => () => this.export(action);
    return h('div', { class: 'toolbar' }, objective, ref, tol, rtol,
      h('span', { class: 'spacer' }),
      format,
      h('vscode-button', { class: 'export-copy', onclick: exportAs('copy') }, 'Copy'),
      h('vscode-button', { class: 'export-save', appearance: 'secondary', onclick: exportAs('save') }, 'Save…'));
  }

  private export(action: ExportAction): void {
    if (!this.comparison) return;
    const format = this.ctx.state.exportFormat;
    this.ctx.post({ type: 'export', format, action, content: exportComparison(this.comparison.comparison, format), fileName: exportFileName(format) });
  }

  private table(comparison: Comparison): HTMLElement {
    const headers = ['Target', 'Provider / backend', 'p50', 'p90', 'p99', 'Throughput', 'Peak memory', 'Wall time', 'Run cost', 'Cost / 1k inf.', 'Max abs error', 'Parity'];
    const money = (r: ComparisonRow, value: number | undefined) => (!r.cost ? 'no price' : value === undefined ? '—' : formatMoney(value, r.cost.currency));
    return section('All figures', h('table', { class: 'data compare-table' },
      h('thead', {}, h('tr', {}, ...headers.map((t, i) => h('th', { scope: 'col', class: i >= 2 && i <= 10 ? 'num' : undefined }, t)))),
      h('tbody', {}, ...comparison.rows.map((r) => h('tr', { class: r.key === comparison.winner ? 'best' : r.available ? '' : 'unavailable' },
        h('th', { scope: 'row' }, r.key === comparison.winner ? `★ ${r.target}` : r.target),
        h('td', { title: r.provider ?? r.backend }, r.provider ? shortProvider(r.provider) : r.backend),
        ...(r.available
          ? [h('td', { class: 'num' }, formatMs(r.latency?.p50)), h('td', { class: 'num' }, formatMs(r.latency?.p90)), h('td', { class: 'num' }, formatMs(r.latency?.p99)),
            h('td', { class: 'num' }, r.throughput === undefined ? '—' : `${formatNumber(r.throughput)} /s`), h('td', { class: 'num' }, formatBytes(r.peakMemoryBytes)),
            h('td', { class: 'num' }, formatMs(r.wallMs)),
            h('td', { class: r.cost ? 'num cost' : 'num cost muted' }, money(r, r.cost?.amount)),
            h('td', { class: r.cost ? 'num cost-1k' : 'num cost-1k muted' }, money(r, r.costPer1kInferences)),
            h('td', { class: 'num' }, r.maxAbsError === undefined ? '—' : Number.isFinite(r.maxAbsError) ? formatError(r.maxAbsError) : 'mismatch'),
            h('td', { class: r.withinTolerance === false ? 'drift' : '' }, r.key === comparison.referenceKey ? 'reference' : r.withinTolerance === undefined ? '—' : r.withinTolerance ? '✓ ok' : '✗ drift')]
          : [h('td', { colspan: 10, class: 'muted' }, `unavailable: ${r.reason ?? r.status}`)]),
      ))),
    ));
  }
}

/** A reported metric as the script printed it, give or take float noise. */
function formatValue(value: number): string {
  return String(Number(value.toPrecision(10)));
}

function section(title: string, content: Element): HTMLElement {
  return h('section', { class: 'chart-section' }, h('h3', {}, title), content);
}

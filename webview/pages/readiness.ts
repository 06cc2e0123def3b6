/** Readiness page: per accelerator backend, what blocks a port, what degrades, what the shim covers, and the effort. */
import type { ReadinessItem, TargetReadiness } from '../../src/protocol';
import type { AppContext } from '../app-context';
import { clear, h } from '../dom';
import { formatWhen } from '../model/format';

const BACKEND_NAMES: Record<string, string> = { cuda: 'NVIDIA CUDA', rocm: 'AMD ROCm', npu: 'Ascend NPU', xpu: 'Intel XPU', mps: 'Apple MPS', cpu: 'CPU' };
/** Long lists stay readable; the rest is one click away in the Problems view. */
const ITEMS_SHOWN = 200;

export class ReadinessPage {
  readonly root = h('div', { class: 'page readiness-page' });

  constructor(private readonly ctx: AppContext) {}

  update(): void {
    clear(this.root);
    const view = this.ctx.readiness;
    const rescan = h('vscode-button', { appearance: view ? 'secondary' : 'primary', onclick: () => this.ctx.post({ type: 'refreshReadiness' }) }, view ? 'Rescan workspace' : 'Scan workspace');
    if (!view) {
      this.root.append(
        h('div', { class: 'empty' },
          h('h2', {}, 'No readiness report yet'),
          h('p', {}, this.ctx.readinessError ?? 'Scan the workspace to see, for each accelerator, what blocks a port and how much work it is.'),
          rescan),
      );
      return;
    }
    this.root.append(
      h('div', { class: 'toolbar' }, h('span', {}, `${view.findings} findings in ${view.files} files · scanned ${formatWhen(view.generatedAt)}`), h('span', { class: 'spacer' }), rescan),
      h('table', { class: 'data readiness-table' },
        h('thead', {}, h('tr', {}, ...['Target', 'Effort', 'Blockers', 'Degraded', 'Shim-covered', 'Fixable'].map((t, i) => h('th', { scope: 'col', class: i > 1 ? 'num' : undefined }, t)))),
        h('tbody', {}, ...view.targets.map((t) => h('tr', { class: `effort-${t.effort}` },
          h('th', { scope: 'row' }, BACKEND_NAMES[t.backend] ?? t.backend),
          h('td', {}, h('span', { class: `effort effort-${t.effort}` }, t.effort), t.effortHours ? h('span', { class: 'muted' }, ` ~${t.effortHours} h`) : null),
          h('td', { class: 'num' }, String(t.blockers.length)),
          h('td', { class: 'num' }, String(t.degraded.length)),
          h('td', { class: 'num' }, String(t.shimCovered.length)),
          h('td', { class: 'num' }, String(t.fixable)),
        ))),
      ),
      ...view.targets.map((t) => this.targetSection(t)),
    );
  }

  private targetSection(t: TargetReadiness): HTMLElement {
    const open = this.ctx.state.expanded.includes(t.backend);
    const guarded = t.guarded ?? [];
    const total = t.blockers.length + t.degraded.length + guarded.length + t.shimCovered.length;
    const toggle = h('button', { class: 'disclosure', 'aria-expanded': open ? 'true' : 'false', 'aria-controls': `ready-${t.backend}`, disabled: total === 0 },
      `${open ? '▾' : '▸'} ${BACKEND_NAMES[t.backend] ?? t.backend}`,
      h('span', { class: 'muted' }, total === 0 ? ' — ready' : ` — ${t.blockers.length} blockers, ${t.degraded.length} degraded, ${guarded.length} guarded, ${t.shimCovered.length} shim-covered`));
    toggle.addEventListener('click', () => {
      const expanded = new Set(this.ctx.state.expanded);
      if (open) expanded.delete(t.backend);
      else expanded.add(t.backend);
      this.ctx.state.expanded = [...expanded];
      this.ctx.save();
      this.update();
      this.root.querySelector<HTMLElement>(`button[aria-controls="ready-${t.backend}"]`)?.focus();
    });
    const section = h('section', { class: 'target-section' }, h('h3', {}, toggle));
    if (open) {
      section.append(h('div', { id: `ready-${t.backend}` },
        this.items('Blockers', 'breaks', t.blockers),
        this.items('Degraded', 'degraded', t.degraded),
        this.items('Guarded (only runs where CUDA is present)', 'guarded', guarded),
        this.items('Covered by the runtime shim', 'shim', t.shimCovered)));
    }
    return section;
  }

  private items(title: string, cls: string, items: ReadinessItem[]): HTMLElement | null {
    if (!items.length) return null;
    return h('div', { class: `items ${cls}` },
      h('h4', {}, `${title} (${items.length})`),
      h('ul', {}, ...items.slice(0, ITEMS_SHOWN).map((item) => {
        const link = h('a', { href: '#', class: 'location', title: `Open ${item.path}:${item.line}` }, `${item.path}:${item.line}:${item.column}`);
        link.addEventListener('click', (e) => {
          e.preventDefault();
          this.ctx.post({ type: 'openLocation', path: item.path, line: item.line, column: item.column });
        });
        return h('li', {}, link, ' ', h('code', {}, item.rule), ' ', item.message, item.fixable ? h('span', { class: 'fixable' }, ' fix available') : null);
      })),
      items.length > ITEMS_SHOWN ? h('p', { class: 'muted' }, `and ${items.length - ITEMS_SHOWN} more`) : null);
  }
}

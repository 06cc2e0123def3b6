import { formatMoney, whyBenchHasNoCost } from '../cost';
import type { TargetPrice } from '../targets/price';
import type { ProviderResult, RunRecord } from '../record';

const ms = (v: number | undefined) => (v === undefined ? '-' : v < 1 ? v.toFixed(3) : v < 100 ? v.toFixed(2) : v.toFixed(0));
const mib = (bytes: number | undefined) => (bytes === undefined ? '-' : `${(bytes / 1048576).toFixed(1)} MiB`);

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd()).join('\n');
}

function parityText(result: ProviderResult): string {
  if (!result.parity) return result.available ? 'reference' : '-';
  const worst = result.parity.reduce((a, p) => Math.max(a, p.maxAbsError), 0);
  const ok = result.parity.every((p) => p.withinTolerance);
  // The reference provider's parity, when present, is against expected outputs (PyTorch's, from an export).
  return `${ok ? 'ok' : 'DRIFT'}${result.provider === 'cpu' ? ' vs expected' : ' vs cpu'} (max abs ${worst.toExponential(1)})`;
}

/** The terminal view of an ONNX benchmark record: one row per provider, then unavailable providers with reasons. */
/** `price` is the target's, when known: it lets a run without a cost say exactly why. */
export function formatBenchRecord(record: RunRecord, price?: TargetPrice): string {
  const lines = [`Benchmark ${record.id}: ${record.entry} on ${record.target} — ${record.status}`];
  if (record.error) lines.push(`error: ${record.error}`);
  const providers = record.providers ?? [];
  const available = providers.filter((p) => p.available);
  if (available.length) {
    const rows = [['provider', 'create ms', 'p50 ms', 'p90 ms', 'p99 ms', 'p999 ms', 'mean ms', 'min ms', 'max ms', 'runs', 'inf/s', 'peak mem', 'parity']];
    for (const p of available) {
      const l = p.metrics?.latencyMs;
      rows.push([p.provider, ms(p.sessionCreateMs), ms(l?.p50), ms(l?.p90), ms(l?.p99), ms(l?.p999), ms(l?.mean), ms(l?.min), ms(l?.max),
        String(l?.samples ?? '-'), p.metrics?.throughput?.toFixed(1) ?? '-', mib(p.metrics?.peakMemoryBytes), parityText(p)]);
    }
    lines.push('', table(rows));
  }
  const missing = providers.filter((p) => !p.available);
  if (missing.length) {
    lines.push('', 'Not available on this target:');
    for (const p of missing) lines.push(`  ${p.provider}: ${p.reason ?? 'unknown reason'}`);
  }
  const drift = available.flatMap((p) => (p.parity ?? []).filter((x) => !x.withinTolerance).map((x) => `  ${p.provider} ${x.name}: max abs ${x.maxAbsError.toExponential(2)}, max rel ${x.maxRelError.toExponential(2)}, cosine ${x.cosine.toFixed(6)}`));
  if (drift.length) lines.push('', 'Outputs outside tolerance vs cpu:', ...drift);
  if (record.cost) {
    const per1k = available.filter((p) => p.costPer1kInferences !== undefined).map((p) => `${p.provider} ${formatMoney(p.costPer1kInferences as number, record.cost!.currency)}`);
    lines.push('', `cost: ${formatMoney(record.cost.amount, record.cost.currency)} (${record.cost.basis})${per1k.length ? `; per 1,000 inferences: ${per1k.join(', ')}` : ''}`);
  } else if (record.status === 'succeeded') {
    lines.push('', `cost: ${whyBenchHasNoCost(record.target, record.targetKind, price)}`);
  }
  const outputs = record.metrics.outputs ?? [];
  if (outputs.length) {
    lines.push('', 'Outputs:');
    for (const o of outputs) lines.push(`  ${o.name} [${o.shape.join('x')}] ${o.checksum}`);
  }
  lines.push('', `log: ${record.logFile}`);
  return lines.join('\n') + '\n';
}

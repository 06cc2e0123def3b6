/**
 * What a target costs, from its porta.toml table. A target without a price has none: it is shown as "no price",
 * never as free. Slurm targets may price the job's allocation (per node-hour or per GPU-hour) instead of the hour.
 */
export interface TargetPrice {
  /** Per hour of wall time (any kind), or per hour of a Slurm job's elapsed time whatever its allocation. */
  perHour?: number;
  /** Slurm: per node of the job's allocation per hour of elapsed time. */
  perNodeHour?: number;
  /** Slurm: per GPU of the job's allocation per hour of elapsed time. */
  perGpuHour?: number;
  /** ISO 4217 code, "USD" unless the target says otherwise. */
  currency: string;
}

/** The part of the target table reader that price parsing needs (config.ts's KeyReader). */
export interface PriceKeyReader {
  price(key: string): number | undefined;
  string(key: string): string | undefined;
  fail(key: string, what: string): never;
}

export const DEFAULT_CURRENCY = 'USD';
const SLURM_ONLY = ['price_per_node_hour', 'price_per_gpu_hour'] as const;

/** Reads price_per_hour, price_per_node_hour, price_per_gpu_hour and currency; undefined when none is set. */
export function readPrice(keys: PriceKeyReader, kind: string): TargetPrice | undefined {
  const perHour = keys.price('price_per_hour');
  const perNodeHour = keys.price('price_per_node_hour');
  const perGpuHour = keys.price('price_per_gpu_hour');
  const currency = keys.string('currency');
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) keys.fail('currency', `must be a three-letter currency code such as "USD" or "EUR" (got ${JSON.stringify(currency)})`);
  if (kind !== 'slurm') {
    for (const [key, value] of [[SLURM_ONLY[0], perNodeHour], [SLURM_ONLY[1], perGpuHour]] as const) {
      if (value !== undefined) keys.fail(key, `applies to slurm targets only (a ${kind} target is priced with price_per_hour)`);
    }
  }
  const given = [perHour, perNodeHour, perGpuHour].filter((v) => v !== undefined).length;
  if (given > 1) keys.fail('price_per_hour', 'conflicts: give one of price_per_hour, price_per_node_hour and price_per_gpu_hour');
  if (given === 0) {
    if (currency !== undefined) keys.fail('currency', 'is set but the target has no price (price_per_hour, or for slurm price_per_node_hour / price_per_gpu_hour)');
    return undefined;
  }
  return { perHour, perNodeHour, perGpuHour, currency: currency ?? DEFAULT_CURRENCY };
}

/** "0.40 USD/h", "1.20 EUR/node-h", "3.00 USD/GPU-h", or "no price". */
export function describePrice(price: TargetPrice | undefined): string {
  if (!price) return 'no price';
  const [value, unit] = price.perHour !== undefined ? [price.perHour, 'h'] : price.perNodeHour !== undefined ? [price.perNodeHour, 'node-h'] : [price.perGpuHour ?? 0, 'GPU-h'];
  return `${value >= 0.01 || value === 0 ? value.toFixed(2) : String(value)} ${price.currency}/${unit}`;
}

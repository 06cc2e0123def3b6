import { UsageError } from './command';
import { OBJECTIVES, type ChoiceConstraints, type Objective } from '../run/choose';

/** The `parseCommandLine` options every command that names a best target accepts (compare, multi-target run/bench). */
export const CHOICE_OPTIONS = {
  objective: { type: 'string' as const }, 'max-drift': { type: 'string' as const }, 'max-p99': { type: 'string' as const },
};

export const CHOICE_USAGE = `  --objective O      latency (default: fastest), cost (cheapest; rows without a price are left out)
                     or balanced (lowest latency × cost on the latency–cost Pareto front)
  --max-drift X      largest absolute error allowed against the reference (default: within atol/rtol)
  --max-p99 MS       largest p99 latency allowed, in milliseconds`;

export interface ChoiceRequest {
  objective: Objective;
  constraints: ChoiceConstraints;
}

function nonNegative(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number, got '${value}'`);
  return n;
}

/** Checks --objective, --max-drift and --max-p99 before anything runs: a typo is a usage error, not a late surprise. */
export function parseChoiceOptions(values: { objective?: string; 'max-drift'?: string; 'max-p99'?: string }): ChoiceRequest {
  const objective = values.objective ?? 'latency';
  if (!OBJECTIVES.includes(objective as Objective)) throw new UsageError(`--objective must be ${OBJECTIVES.join(', ')}, got '${objective}'`);
  return {
    objective: objective as Objective,
    constraints: { maxDrift: nonNegative('max-drift', values['max-drift']), maxP99Ms: nonNegative('max-p99', values['max-p99']) },
  };
}

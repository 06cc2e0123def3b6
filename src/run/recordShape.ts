/**
 * The shape of a stored run record, checked when it is read back: `.porta/runs/` is a plain folder that people and
 * other tools write to, and one `null`, `{}` or half-edited record must be skipped with a reason, not break
 * `porta runs`, `porta compare` and the dashboard for every other run. Only what readers rely on is checked.
 */
const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'lost'];
const KINDS = ['script', 'onnx-bench'];
const TARGET_KINDS = ['local', 'ssh', 'slurm'];

type Check = (value: unknown) => boolean;
const isObject: Check = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isString: Check = (v) => typeof v === 'string';
const isNumber: Check = (v) => typeof v === 'number';
const isBoolean: Check = (v) => typeof v === 'boolean';
const listOf = (item: Check): Check => (v) => Array.isArray(v) && v.every(item);
const oneOf = (values: string[]): Check => (v) => typeof v === 'string' && values.includes(v);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The first field of `value` that fails its check, as "field: what it is"; `optional` fields may be absent. */
function fieldProblem(value: Record<string, unknown>, prefix: string, required: Record<string, Check>, optional: Record<string, Check> = {}): string | undefined {
  for (const [key, check] of Object.entries(required)) {
    if (!(key in value) || value[key] === undefined) return `${prefix}${key} is missing`;
    if (!check(value[key])) return `${prefix}${key} is ${describe(value[key])} of the wrong kind`;
  }
  for (const [key, check] of Object.entries(optional)) {
    if (value[key] !== undefined && !check(value[key])) return `${prefix}${key} is ${describe(value[key])} of the wrong kind`;
  }
  return undefined;
}

const outputSummary: Check = (v) => isObject(v) && fieldProblem(v as Record<string, unknown>, '', { name: isString, shape: listOf(isNumber), checksum: isString }, { head: listOf(isNumber) }) === undefined;
const parity: Check = (v) => isObject(v) && fieldProblem(v as Record<string, unknown>, '', { name: isString, maxAbsError: isNumber, maxRelError: isNumber, cosine: isNumber, withinTolerance: isBoolean }) === undefined;
// The currency is printed in tables: only an ISO-shaped code (never control characters) is a currency.
const isCurrency: Check = (v) => typeof v === 'string' && /^[A-Z]{3}$/.test(v);
const cost: Check = (v) => isObject(v) && fieldProblem(v as Record<string, unknown>, '', { amount: isNumber, currency: isCurrency, basis: isString }, { ratePerHour: isNumber }) === undefined;
const shimReport: Check = (v) => isObject(v) && fieldProblem(v as Record<string, unknown>, '', { device: isString, translated: (t) => isObject(t) && Object.values(t as object).every(isNumber), fallbacks: listOf(isString) }) === undefined;
const numbers: Check = (v) => isObject(v) && Object.values(v as object).every(isNumber);

function metricsProblem(value: unknown, prefix: string): string | undefined {
  if (!isObject(value)) return `${prefix} is ${describe(value)}, not an object`;
  return fieldProblem(value as Record<string, unknown>, `${prefix}.`, {}, {
    latencyMs: numbers, throughput: isNumber, peakMemoryBytes: isNumber, wallMs: isNumber, startupMs: isNumber,
    outputs: listOf(outputSummary), custom: numbers,
  });
}

/** Why `value` (read from `<id>.json`) is not a usable run record, or undefined when it is. */
export function runRecordProblem(value: unknown, id: string): string | undefined {
  if (!isObject(value)) return `the record is ${describe(value)}, not an object`;
  const record = value as Record<string, unknown>;
  const problem = fieldProblem(record, '', {
    id: isString, kind: oneOf(KINDS), target: isString, targetKind: oneOf(TARGET_KINDS), backend: isString,
    command: listOf(isString), entry: isString, startedAt: isString, status: oneOf(STATUSES), logFile: isString,
  }, {
    resolvedBackend: isString, endedAt: isString, exitCode: (v) => v === null || isNumber(v), error: isString, slurmJobId: isString,
    shim: isBoolean, providers: listOf(isObject), runtime: isObject, cost, shimReport,
  });
  if (problem) return problem;
  if (record.id !== id) return `its id ${JSON.stringify(record.id)} is not the file's name`;
  const metrics = metricsProblem(record.metrics, 'metrics');
  if (metrics) return metrics;
  const providers = (record.providers ?? []) as Record<string, unknown>[];
  for (let i = 0; i < providers.length; i++) {
    const where = `providers[${i}]`;
    const bad = fieldProblem(providers[i], `${where}.`, { provider: isString, available: isBoolean }, { reason: isString, sessionCreateMs: isNumber, parity: listOf(parity), costPer1kInferences: isNumber });
    if (bad) return bad;
    if (providers[i].metrics !== undefined) {
      const m = metricsProblem(providers[i].metrics, `${where}.metrics`);
      if (m) return m;
    }
  }
  return undefined;
}

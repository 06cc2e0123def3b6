/**
 * The run record: one JSON file per run under .porta/runs/<id>.json (log beside it as <id>.log).
 * Shared by the CLI, the extension, the benchmark and the dashboard. Keep it stable; bump `version` on breaking change.
 */
import type { RunCost } from './cost';

export type { RunCost };
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'lost';
export type TargetKind = 'local' | 'ssh' | 'slurm';
export type RunKind = 'script' | 'onnx-bench';

export interface LatencyStats {
  /** Milliseconds. */
  min: number;
  max: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  samples: number;
}

/** Per-output comparison against a reference (CPU provider, PyTorch, or a reference run). */
export interface OutputParity {
  name: string;
  maxAbsError: number;
  maxRelError: number;
  cosine: number;
  withinTolerance: boolean;
}

export interface OutputSummary {
  name: string;
  shape: number[];
  /** Stable digest of the values rounded to the tolerance, so runs on different hardware can be compared. */
  checksum: string;
  /** A few leading values, for a readable diff. */
  head?: number[];
}

export interface RunMetrics {
  latencyMs?: LatencyStats;
  /** Items (or iterations) per second. */
  throughput?: number;
  peakMemoryBytes?: number;
  /** Wall time of the whole script, in milliseconds. */
  wallMs?: number;
  /** Python/interpreter start-up, reported separately from the script's own time. */
  startupMs?: number;
  outputs?: OutputSummary[];
  /** Free-form numeric metrics a script reported through the metric-line protocol (e.g. accuracy, loss). */
  custom?: Record<string, number>;
}

/** One execution provider's result in an ONNX Runtime benchmark. */
export interface ProviderResult {
  provider: string;
  available: boolean;
  /** Why the provider could not run, in the runtime's own words. */
  reason?: string;
  sessionCreateMs?: number;
  metrics?: RunMetrics;
  parity?: OutputParity[];
  /** What 1,000 inferences cost at this provider's throughput, in the run's `cost.currency`. */
  costPer1kInferences?: number;
}

export interface RunRecord {
  version: 1;
  id: string;
  kind: RunKind;
  /** Target name from porta.toml (`local` always exists). */
  target: string;
  targetKind: TargetKind;
  /** Accelerator backend requested: auto | cuda | rocm | npu | xpu | mps | cpu. */
  backend: string;
  /** Backend the harness actually used, when known (e.g. auto resolved to cpu). */
  resolvedBackend?: string;
  command: string[];
  /** Workspace-relative script or model path. */
  entry: string;
  startedAt: string;
  endedAt?: string;
  status: RunStatus;
  exitCode?: number | null;
  /** Absolute path of the log file. */
  logFile: string;
  metrics: RunMetrics;
  /** ONNX benchmarks: one entry per requested provider. */
  providers?: ProviderResult[];
  /** Human-readable cause of a failure (unreachable host, missing interpreter, ...). */
  error?: string;
  slurmJobId?: string;
  /** The runtime shim was used instead of ported code. */
  shim?: boolean;
  /** What the run cost on its target's price; absent when the target has no price (never read as free). */
  cost?: RunCost;
  /** What the shim did in this run (its `PORTA_SHIM_REPORT` line), when it reported. */
  shimReport?: ShimReport;
}

/** The CUDA calls the runtime shim translated, and the ones that fell back to something else. */
export interface ShimReport {
  /** The device the shim mapped CUDA to (`cpu`, `xpu`, `npu:0`...). */
  device: string;
  /** Call → how many times, e.g. `{"tensor.cuda()": 3, "torch.cuda.is_bf16_supported": 1}`. */
  translated: Record<string, number>;
  /** Changes of behaviour, in the order they happened, e.g. `autocast float16 → bfloat16 on cpu`. */
  fallbacks: string[];
}

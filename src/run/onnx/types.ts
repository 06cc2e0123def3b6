/** Messages between the benchmark orchestrator (bench.ts) and its child process (worker.ts). Plain data only. */

/** Element types this benchmark can synthesise or load. */
export type ElementType = 'float32' | 'float64' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'int64' | 'bool';

/** A tensor in transit: values are widened to float64 so that every provider's outputs compare alike. */
export interface PlainTensor {
  name: string;
  type: string;
  dims: number[];
  data: number[] | Float64Array;
}

/** How one input is fed: a shape to synthesise (seeded), or a .npy/.json file to load. */
export type InputSource = { name: string; shape: number[] } | { name: string; file: string };

export interface WorkerRequest {
  /** Absolute path of the .onnx file. */
  model: string;
  provider: string;
  threads?: number;
  warmup: number;
  /** Either a fixed number of timed iterations ... */
  iterations?: number;
  /** ... or a time budget in milliseconds. */
  durationMs?: number;
  inputs: InputSource[];
  /** Seed of the synthetic inputs: identical seeds give identical inputs in every worker. */
  seed: number;
  /** Send the outputs of the last run back (needed for parity and checksums). */
  returnOutputs: boolean;
}

/** Where a worker failed: the stage decides whether it is the model's fault or the provider's. */
export type FailureStage = 'read' | 'session' | 'inputs' | 'run' | 'internal';

export interface WorkerFailure {
  ok: false;
  stage: FailureStage;
  message: string;
  sessionCreateMs?: number;
}

export interface WorkerSuccess {
  ok: true;
  provider: string;
  sessionCreateMs: number;
  /** Every timed iteration, in milliseconds. */
  latenciesMs: number[];
  /** Wall time of the timed loop, in milliseconds. */
  loopMs: number;
  /** Peak resident set size of the worker process. */
  peakMemoryBytes: number;
  inputs: { name: string; type: string; dims: number[] }[];
  outputs: PlainTensor[];
}

export type WorkerResponse = WorkerSuccess | WorkerFailure;

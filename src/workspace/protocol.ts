import type { PackedResults } from './pack';
import type { ResolvedConfig } from '../core/config';
import type { FixOptions } from '../core/fix/types';

/** Messages between scanWorkspace() and its analysis workers. */
export interface WorkerInit {
  config: ResolvedConfig;
  fixOptions?: FixOptions;
  wasmDirectory?: string;
}

export interface WorkItem {
  path: string;
  text: string;
}

export type ToWorker = { type: 'batch'; id: number; items: WorkItem[] } | { type: 'close' };
export type FromWorker = { type: 'ready' } | { type: 'result'; id: number; packed: PackedResults } | { type: 'error'; message: string };

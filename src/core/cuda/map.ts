/**
 * The CUDA → HIP mapping table. The data lives in map/*.json (one file per library, columns cuda/hip/kind/notes);
 * this module only indexes it. esbuild and tsx inline the JSON, so core still does no file I/O.
 */
import runtime from './map/runtime.json';
import driver from './map/driver.json';
import cublas from './map/cublas.json';
import curand from './map/curand.json';
import cufft from './map/cufft.json';
import cusparse from './map/cusparse.json';
import cusolver from './map/cusolver.json';
import nccl from './map/nccl.json';
import cudnn from './map/cudnn.json';
import ecosystem from './map/ecosystem.json';
import tools from './map/tools.json';
import headers from './map/headers.json';

export type EntryKind = 'function' | 'type' | 'enum' | 'macro' | 'device' | 'namespace' | 'header' | 'ptx';

export interface MapEntry {
  cuda: string;
  /** The HIP/ROCm name, or undefined where there is none. */
  hip: string | undefined;
  kind: EntryKind;
  notes: string;
  /** Display name of the CUDA library, e.g. "cuBLAS". */
  library: string;
  /** "manual": a counterpart exists but arguments/semantics differ (cuDNN → MIOpen); never rewritten automatically. */
  policy: 'rename' | 'manual';
}

interface MapFile {
  library: string;
  hipLibrary: string;
  policy: string;
  header: string | null;
  entries: string[][];
}

export const MAP_FILES: readonly MapFile[] = [runtime, driver, cublas, curand, cufft, cusparse, cusolver, nccl, cudnn, ecosystem, tools, headers];

function toEntry(file: MapFile, row: string[]): MapEntry {
  const [cuda, hip, kind, notes] = row;
  return {
    cuda,
    hip: hip === 'none' ? undefined : hip,
    kind: kind as EntryKind,
    notes: notes ?? '',
    library: file.library,
    policy: file.policy === 'manual' || (kind === 'header' && hip.startsWith('miopen')) ? 'manual' : 'rename',
  };
}

export interface CudaMap {
  /** Plain identifiers (functions, types, enums, macros, device functions, bare namespaces such as `cub`). */
  names: ReadonlyMap<string, MapEntry>;
  /** Qualified namespaces keyed by their last segment, e.g. "cuda" → [at::cuda, c10::cuda, thrust::cuda]. */
  qualifiedNamespaces: ReadonlyMap<string, MapEntry[]>;
  headers: ReadonlyMap<string, MapEntry>;
}

let cached: CudaMap | undefined;

export function cudaMap(): CudaMap {
  if (cached) return cached;
  const names = new Map<string, MapEntry>();
  const qualifiedNamespaces = new Map<string, MapEntry[]>();
  const headerMap = new Map<string, MapEntry>();
  for (const file of MAP_FILES) {
    for (const row of file.entries) {
      const entry = toEntry(file, row);
      if (entry.kind === 'header') headerMap.set(entry.cuda, entry);
      else if (entry.cuda.includes('::')) {
        const last = entry.cuda.slice(entry.cuda.lastIndexOf('::') + 2);
        qualifiedNamespaces.set(last, [...(qualifiedNamespaces.get(last) ?? []), entry]);
      } else if (!names.has(entry.cuda)) names.set(entry.cuda, entry);
    }
  }
  cached = { names, qualifiedNamespaces, headers: headerMap };
  return cached;
}

/** Warp intrinsics whose first argument (the lane mask) HIP 5.2 does not take. */
export const MASK_FIRST_ARGUMENT = new Set(['__shfl_sync', '__shfl_up_sync', '__shfl_down_sync', '__shfl_xor_sync', '__ballot_sync', '__any_sync', '__all_sync']);

/** Symbol APIs: which argument names the device symbol (HIP wants it wrapped in HIP_SYMBOL()). */
export const SYMBOL_ARGUMENT: ReadonlyMap<string, number> = new Map([
  ['cudaMemcpyToSymbol', 0],
  ['cudaMemcpyToSymbolAsync', 0],
  ['cudaMemcpyFromSymbol', 1],
  ['cudaMemcpyFromSymbolAsync', 1],
  ['cudaGetSymbolAddress', 1],
  ['cudaGetSymbolSize', 1],
]);

/** Pinned host memory: the calls that are not a plain cuda→hip rename. */
export const PINNED_MEMORY = new Set(['cudaMallocHost', 'cudaHostAlloc', 'cudaFreeHost', 'cuMemAllocHost', 'cuMemFreeHost']);

/** HIP 5.2 headers that only compile after hip/hip_runtime.h (hip_cooperative_groups.h uses its built-in variables). */
export const HEADER_PREREQUISITE: ReadonlyMap<string, string> = new Map([['cooperative_groups.h', 'hip/hip_runtime.h']]);

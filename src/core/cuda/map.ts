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
import roc from './map/roc.json';
import { CudaNames } from './cudaNames';
import { TableIndex, type PrebuiltIndex } from './tableIndex';

export type EntryKind = 'function' | 'type' | 'enum' | 'macro' | 'device' | 'namespace' | 'header' | 'ptx';

/** CUDA versions from hipify's tables ("11.0"); undefined where the table gives none. */
export interface CudaVersions {
  added?: string;
  deprecated?: string;
  removed?: string;
}

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
  /** From hipify's tables: when CUDA added/deprecated/removed the name, and the HIP/ROCm version that has `hip`. */
  cudaVersions?: CudaVersions;
  hipSince?: string;
}

interface MapFile {
  library: string;
  hipLibrary: string;
  policy: string;
  header: string | null;
  entries: string[][];
}

/**
 * One generated table as loaded (tables/packed.json, written by scripts/gen-hip-map.mjs beside the reviewable
 * tables/*.json): `names` one a line; `rows` the other columns [hip, second, section, cudaV, hipV, secondV] of each
 * row tab-separated, one row a line, in the same order. A row is split only when its entry is first read.
 */
interface PackedTable {
  library: string;
  hipLibrary: string;
  secondLibrary: string | null;
  sections: string[];
  names: string;
  rows: string;
}

/** A loaded table: its metadata (its names and rows are read through the shared TableIndex). */
interface TableFile {
  readonly library: string;
  readonly secondLibrary: string | null;
  readonly sections: string[];
}

/** The hand-written rows: Porta's decisions (HIP 5.2 toolchain, semantic notes) and names hipify's tables lack. */
export const MAP_FILES: readonly MapFile[] = [runtime, driver, cublas, curand, cufft, cusparse, cusolver, nccl, cudnn, ecosystem, tools, headers];

let tables: { files: PackedTable[]; index: TableIndex } | undefined;

/** Loaded on first use (~9,000 rows nobody needs until a CUDA file is rewritten), once for every choice of options. */
function tableFiles(): { files: PackedTable[]; index: TableIndex } {
  if (!tables) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const packed = require('./map/tables/packed.json') as { tables: PackedTable[]; index?: PrebuiltIndex };
    tables = { files: packed.tables, index: new TableIndex(packed.tables, packed.index) };
  }
  return tables;
}

function toEntry(file: MapFile, row: string[]): MapEntry {
  // Indexed, not destructured: this runs cold (interpreted) for ~10,000 rows, where each destructuring allocates an
  // iterator and a result per element (a sixth of a `porta fix` process's garbage, by an allocation profile).
  const cuda = row[0];
  const hip = row[1];
  const kind = row[2];
  const notes = row[3];
  return {
    cuda,
    hip: hip === 'none' ? undefined : hip,
    kind: kind as EntryKind,
    notes: notes ?? '',
    library: file.library,
    policy: file.policy === 'manual' || (kind === 'header' && hip.startsWith('miopen')) ? 'manual' : 'rename',
  };
}

/** hipify-perl's and -clang's choice of library for cuBLAS, cuSPARSE, cuSOLVER, cuRAND (and MIOpen for cuDNN). */
export type HipLibrary = 'hip' | 'roc';

/** The HIP the hand-written rows are written for: what Debian's hipcc (ROCm 5.2) compiles. */
export const BASE_HIP_VERSION = '5.2';

export interface MapOptions {
  hipLibrary?: HipLibrary;
  /**
   * The HIP version to write for (default BASE_HIP_VERSION). Where a hand row chose a HIP 5.2 name and hipify's
   * tables give a name HIP added later, up to this version (hipblasCgemm_v2 since 6.0), the table's name is used.
   */
  hipVersion?: string;
  /** 'manual' (default): cuDNN names are reported with their MIOpen counterpart; 'miopen': renamed (hipify --miopen). */
  dnn?: 'manual' | 'miopen';
}

// Hoisted: a regular expression literal makes a new object each time it is evaluated.
const DEVICE_SECTION = /device functions/i;
const DEFINE_SECTION = /define/i;
const TYPES_SECTION = /types?\b/i;
const ALL_CAPS = /^[A-Z0-9_]+$/;
const LOWER_THEN_UPPER = /^[a-z]+[A-Z]/;
const TYPE_SUFFIX = /_t$/;

function kindOf(section: string, name: string): EntryKind {
  if (DEVICE_SECTION.test(section)) return 'device';
  if (DEFINE_SECTION.test(section)) return 'macro';
  if (TYPES_SECTION.test(section)) return ALL_CAPS.test(name) || (LOWER_THEN_UPPER.test(name) && !TYPE_SUFFIX.test(name)) ? 'enum' : 'type';
  return 'function';
}

function versionsOf(field: string | undefined): string[] {
  return (field ?? '').split('|');
}

function tableEntry(file: TableFile, row: string[], options: MapOptions): MapEntry {
  // Indexed, not destructured (see toEntry).
  const cuda = row[0];
  const hipName = row[1];
  const secondName = row[2];
  const section = row[3];
  const cudaV = row[4];
  const hipV = row[5];
  const secondV = row[6];
  const cudaVersionFields = versionsOf(cudaV);
  const added = cudaVersionFields[0];
  const deprecated = cudaVersionFields[1];
  const removed = cudaVersionFields[3];
  const dnn = file.library === 'cuDNN';
  // cuDNN goes to MIOpen (the second column), never to the archived hipDNN; roc* columns only with hipLibrary 'roc'.
  const useSecond = dnn || (options.hipLibrary === 'roc' && file.secondLibrary !== null);
  const hip = (useSecond ? secondName : hipName) || undefined;
  const hipSince = versionsOf(useSecond ? secondV : hipV)[0];
  const cudaVersions: CudaVersions = {};
  if (added) cudaVersions.added = added;
  if (deprecated) cudaVersions.deprecated = deprecated;
  if (removed) cudaVersions.removed = removed;
  return {
    cuda,
    hip,
    kind: kindOf(file.sections[Number(section)] ?? '', cuda),
    notes: '',
    library: file.library,
    policy: dnn && options.dnn !== 'miopen' ? 'manual' : 'rename',
    cudaVersions,
    hipSince: hipSince || undefined,
  };
}

/** "CUDA 11.0+, deprecated in 12.0": the CUDA versions of a name, for messages; '' when the table gives none. */
export function cudaVersionText(entry: MapEntry): string {
  const v = entry.cudaVersions;
  if (!v) return '';
  const parts = [v.added ? `CUDA ${v.added}+` : '', v.deprecated ? `deprecated in CUDA ${v.deprecated}` : '', v.removed ? `removed in CUDA ${v.removed}` : ''];
  return parts.filter(Boolean).join(', ');
}

/** Why a name has no rewrite: the hand-written note, else what hipify's tables say (with the CUDA version). */
export function unsupportedReason(entry: MapEntry, hipLibrary: HipLibrary = 'hip'): string {
  const versions = cudaVersionText(entry);
  if (entry.notes) return versions ? `${entry.notes} (${versions})` : entry.notes;
  const target = entry.library === 'cuDNN' ? 'MIOpen' : hipLibrary === 'roc' ? 'HIP/ROCm' : 'HIP';
  return `no ${target} equivalent of this ${entry.library} name${versions ? ` (${versions})` : ''}`;
}

export interface CudaMap {
  /** Plain identifiers (functions, types, enums, macros, device functions, bare namespaces such as `cub`). */
  names: ReadonlyMap<string, MapEntry>;
  /** Qualified namespaces keyed by their last segment, e.g. "cuda" → [at::cuda, c10::cuda, thrust::cuda]. */
  qualifiedNamespaces: ReadonlyMap<string, MapEntry[]>;
  headers: ReadonlyMap<string, MapEntry>;
}

/**
 * PyTorch's CUDA header folders, named as its ROCm build names them (torch.utils.hipify renames the folder and CUDA→HIP
 * in the file name): any header there is CUDA-only, also those the listed rows do not name one by one.
 */
const PYTORCH_CUDA_FOLDERS: readonly [RegExp, (file: string) => string][] = [
  [/^ATen\/cuda\/(.+\.(?:h|cuh|hpp))$/, (file) => `ATen/hip/${file.replace(/CUDA/g, 'HIP').replace(/Cuda/g, 'Hip')}`],
  [/^c10\/cuda\/(.+\.(?:h|cuh|hpp))$/, (file) => `c10/hip/${file.replace(/CUDA/g, 'HIP').replace(/Cuda/g, 'Hip')}`],
  // THC/*.muh is MUSA's port (torch_musa), not CUDA.
  [/^THC\/(THC\w*\.(?:h|cuh))$/, (file) => `THH/${file.replace(/^THC/, 'THH')}`],
];

/** The header rows, falling back to PyTorch's CUDA folders for a header no row names. */
class PyTorchHeaders extends Map<string, MapEntry> {
  override get(header: string): MapEntry | undefined {
    const listed = super.get(header);
    if (listed) return listed;
    for (const [folder, hipName] of PYTORCH_CUDA_FOLDERS) {
      const file = folder.exec(header)?.[1];
      if (file) return { cuda: header, hip: hipName(file), kind: 'header', notes: 'PyTorch ROCm header', library: 'Headers', policy: 'rename' };
    }
    return undefined;
  }
}

const ROC_LIBRARIES = new Set(['cuBLAS', 'cuRAND', 'cuSPARSE', 'cuSOLVER']);
const cached = new Map<string, CudaMap>();

/**
 * The mapping for one choice of libraries, built once per choice. hipify's generated tables come first; the
 * hand-written rows then override them (Porta's HIP 5.2 decisions: mask-dropping *_sync, hipHostMalloc, ...) and
 * add what the tables lack (PyTorch, NCCL, NVTX, headers) — except under 'roc', where the roc* columns stand.
 */
export function cudaMap(options: MapOptions = {}): CudaMap {
  const key = `${options.hipLibrary ?? 'hip'}/${options.dnn ?? 'manual'}/${options.hipVersion ?? BASE_HIP_VERSION}`;
  const known = cached.get(key);
  if (known) return known;
  const { files, index } = tableFiles();
  // A table name becomes an entry for these options when first read.
  const names = new CudaNames(index, (i) => tableEntry(files[index.table(i)], index.row(i), options));
  const qualifiedNamespaces = new Map<string, MapEntry[]>();
  const headerMap = new PyTorchHeaders();
  const handSeen = new Set<string>();
  for (const file of MAP_FILES) {
    const tablesWin = (options.hipLibrary === 'roc' && ROC_LIBRARIES.has(file.library)) || (file.library === 'cuDNN' && options.dnn === 'miopen');
    for (let r = 0; r < file.entries.length; r++) {
      const entry = toEntry(file, file.entries[r]);
      if (entry.kind === 'header') headerMap.set(entry.cuda, entry);
      else if (entry.cuda.includes('::')) {
        const last = entry.cuda.slice(entry.cuda.lastIndexOf('::') + 2);
        qualifiedNamespaces.set(last, [...(qualifiedNamespaces.get(last) ?? []), entry]);
      } else if (!handSeen.has(entry.cuda) && !(tablesWin && names.has(entry.cuda))) {
        handSeen.add(entry.cuda);
        const table = names.get(entry.cuda);
        if (table && newerTableName(table, entry, options.hipVersion)) continue; // the chosen HIP has the table's name
        const merged = table ? { ...entry, cudaVersions: table.cudaVersions, hipSince: entry.hip === table.hip ? table.hipSince : undefined } : entry;
        names.setValue(entry.cuda, merged);
      }
    }
  }
  // --hip-library roc: the roc* headers and rocBLAS's complex types replace the hip* ones.
  if (options.hipLibrary === 'roc') {
    for (const row of roc.entries) {
      const entry = toEntry(roc, row);
      if (entry.kind === 'header') headerMap.set(entry.cuda, { ...entry, library: 'Headers' });
      else {
        const known = names.get(entry.cuda);
        const merged = { ...entry, library: known?.library ?? 'cuComplex', cudaVersions: known?.cudaVersions };
        names.setValue(entry.cuda, merged);
      }
    }
  }
  const map: CudaMap = { names, qualifiedNamespaces, headers: headerMap };
  cached.set(key, map);
  return map;
}

/** Compares dotted versions numerically ("6.0.0" > "5.2"); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Whether the table's name replaces a hand row's for the chosen HIP: the table names something else, HIP added it
 * after the hand rows' HIP 5.2 and no later than the chosen version. Not for calls whose rewrite changes arguments
 * (the *_sync mask drop is a HIP 5.2 decision tied to its rename).
 */
function newerTableName(table: MapEntry, hand: MapEntry, hipVersion = BASE_HIP_VERSION): boolean {
  if (!table.hip || !table.hipSince || table.hip === hand.hip || takesArguments(hand.cuda)) return false;
  return compareVersions(table.hipSince, BASE_HIP_VERSION) > 0 && compareVersions(table.hipSince, hipVersion) <= 0;
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

/** Whether rewriting a call of `name` needs its argument spans (CudaReference.args). */
export function takesArguments(name: string): boolean {
  return MASK_FIRST_ARGUMENT.has(name) || SYMBOL_ARGUMENT.has(name);
}

/** Pinned host memory: the calls that are not a plain cuda→hip rename. */
export const PINNED_MEMORY = new Set(['cudaMallocHost', 'cudaHostAlloc', 'cudaFreeHost', 'cuMemAllocHost', 'cuMemFreeHost']);

/** HIP 5.2 headers that only compile after hip/hip_runtime.h (hip_cooperative_groups.h uses its built-in variables). */
export const HEADER_PREREQUISITE: ReadonlyMap<string, string> = new Map([['cooperative_groups.h', 'hip/hip_runtime.h']]);

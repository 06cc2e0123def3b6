/**
 * CUDA → HIP source rewrite. Kernel launches keep the `<<< >>>` form, which hipcc accepts (or become
 * hipLaunchKernelGGL with kernelLaunch: 'hipLaunchKernelGGL', see launch.ts); everything else is
 * rewritten from the references the syntax tree confirmed (see scan.ts). Only certain edits are made:
 * comments, strings and structurally unclear code are reported as unconverted, never touched.
 */
import type { TextEdit } from '../model';
import type { TreeSitter } from '../parse/loader';
import type { OffsetRange } from '../parse/incremental';
import { createParser } from '../parse/loader';
import { HEADER_PREREQUISITE, MASK_FIRST_ARGUMENT, SYMBOL_ARGUMENT, cudaMap, unsupportedReason, type CudaMap } from './map';
import { lexReferences } from './lexscan';
import { launchEdits } from './launch';
import { runtimeIncludeEdit } from './runtime-include';
import { scanReferences, type CudaReference } from './scan';
import { buildStats, type ConversionStats, type ReferenceOutcome } from './stats';

export interface HipifyOptions {
  /**
   * The HIP version to write for (default "5.2", what Debian's hipcc compiles): names hipify's tables give for a later
   * HIP, up to this one, replace the hand-written HIP 5.2 choices (cublasCgemm → hipblasCgemm_v2 from 6.0). The
   * *_sync warp intrinsics keep HIP 5.2's mask-dropping rewrite.
   */
  hipVersion?: string;
  /**
   * 'auto' (default): the lexical fast path when the file is lexically regular, else the syntax tree;
   * 'tree': always parse with tree-sitter. Both give the same edits on regular files (tested).
   */
  engine?: 'auto' | 'tree';
  /** 'hip' (default): the hipBLAS/hipSPARSE/hipSOLVER/hipRAND wrappers; 'roc': rocBLAS/rocSPARSE/rocSOLVER/rocRAND directly. */
  hipLibrary?: 'hip' | 'roc';
  /** 'keep' (default): `k<<<g, b>>>(args)` stays (hipcc accepts it); 'hipLaunchKernelGGL': rewritten to the macro. */
  kernelLaunch?: 'keep' | 'hipLaunchKernelGGL';
  /** 'manual' (default): cuDNN names are reported with their MIOpen counterpart; 'miopen': renamed, as hipify --miopen. */
  dnn?: 'manual' | 'miopen';
  /** Add `#include <hip/hip_runtime.h>` where nvcc's implicit cuda_runtime.h was relied on (hipify always does). */
  runtimeInclude?: boolean;
}

export interface UnconvertedReference {
  api: string;
  line: number;
  reason: string;
}

export interface HipifyResult {
  /** The rewritten text (equal to the input when nothing was certain). */
  text: string;
  /** Non-overlapping edits against the input, sorted by offset. */
  edits: TextEdit[];
  stats: ConversionStats;
  unconverted: UnconvertedReference[];
}

/** The edits for one reference, or why there are none. `edits` is empty for same-name counterparts (NCCL→RCCL). */
export interface ReferencePlan {
  ref: CudaReference;
  edits: TextEdit[];
  /** Set when the reference stays as it is on purpose or by necessity. */
  reason?: string;
}

export function planReference(ref: CudaReference, text: string, options: HipifyOptions = {}): ReferencePlan {
  const { entry } = ref;
  if (!entry.hip) return { ref, edits: [], reason: unsupportedReason(entry, options.hipLibrary) };
  if (entry.policy === 'manual') {
    return { ref, edits: [], reason: `manual port to ${entry.hip} (${entry.notes || 'arguments and semantics differ'})` };
  }
  if (entry.kind === 'namespace' && entry.cuda.includes('::')) {
    const hipLast = entry.hip.slice(entry.hip.lastIndexOf('::') + 2);
    return { ref, edits: [{ start: ref.start, end: ref.end, text: hipLast }] };
  }
  const rename: TextEdit[] = entry.hip === entry.cuda ? [] : [{ start: ref.start, end: ref.end, text: entry.hip }];
  const prerequisite = ref.context === 'include' ? HEADER_PREREQUISITE.get(entry.cuda) : undefined;
  if (prerequisite) {
    const lineStart = text.lastIndexOf('\n', ref.start) + 1;
    const [open, close] = text[ref.start - 1] === '"' ? ['"', '"'] : ['<', '>'];
    const eol = text[text.indexOf('\n', ref.start) - 1] === '\r' ? '\r\n' : '\n'; // the line's own ending (CRLF files)
    return { ref, edits: [{ start: lineStart, end: lineStart, text: `#include ${open}${prerequisite}${close}${eol}` }, ...rename] };
  }
  if (MASK_FIRST_ARGUMENT.has(entry.cuda)) {
    const args = ref.args;
    if (ref.inError || !args || args.length < 2) return { ref, edits: [], reason: 'call arguments are not certain here (parse error or macro): mask not dropped' };
    return { ref, edits: [...rename, { start: args[0].start, end: args[1].start, text: '' }] };
  }
  const symbolIndex = SYMBOL_ARGUMENT.get(entry.cuda);
  if (symbolIndex !== undefined) {
    const arg = ref.args?.[symbolIndex];
    if (ref.inError || !arg) return { ref, edits: [], reason: 'call arguments are not certain here (parse error or macro): HIP_SYMBOL() not added' };
    if (/^HIP_SYMBOL\s*\(/.test(text.slice(arg.start, arg.end))) return { ref, edits: rename };
    return { ref, edits: [...rename, { start: arg.start, end: arg.start, text: 'HIP_SYMBOL(' }, { start: arg.end, end: arg.end, text: ')' }] };
  }
  return { ref, edits: rename };
}

/**
 * Plans every reference of a parsed file (or of `range` in it). Shared by hipify() and the analyzer's findings. A
 * whole, lexically regular file that parses takes the lexical fast path (same references as the tree:
 * test/unit/cuda/engines). With a parse error the tree decides, as it does for an open document's statements: the
 * lexer cannot see the error, and would offer argument rewrites the tree calls uncertain.
 */
export function planFile(tree: TreeSitter.Tree, text: string, range?: OffsetRange): ReferencePlan[] {
  const refs = (range || tree.rootNode.hasError ? undefined : lexReferences(text)) ?? scanReferences(tree, text, range);
  return refs.map((ref) => planReference(ref, text));
}

/** Applies non-overlapping edits (insertions at the same offset keep their order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = sortEdits(edits);
  let out = '';
  let cursor = 0;
  for (let i = 0; i < sorted.length; i++) {
    out += text.slice(cursor, sorted[i].start) + sorted[i].text;
    cursor = sorted[i].end;
  }
  return out + text.slice(cursor);
}

/** By start, then end; equal edits keep their order (Array.prototype.sort is stable, and near-linear on sorted input). */
function sortEdits(edits: readonly TextEdit[]): TextEdit[] {
  return [...edits].sort(byPosition);
}

function byPosition(a: TextEdit, b: TextEdit): number {
  return a.start - b.start || a.end - b.end;
}

/**
 * Drops plans whose edits would overlap an edit already taken (e.g. a token inside a dropped mask argument). The
 * per-reference outcomes are made only when asked for (conversion statistics): `porta fix` without --stats never
 * needs the ~10,000 objects a suite of files would make.
 */
function nonOverlapping(plans: ReferencePlan[], fixed: readonly TextEdit[] = []): { edits: TextEdit[]; outcomes: () => ReferenceOutcome[] } {
  const taken: TextEdit[] = [...fixed];
  const occupied = new OccupiedRanges();
  for (let i = 0; i < fixed.length; i++) occupied.add(fixed[i]);
  // Structural plans (several edits) first so that a token inside a deleted argument yields to them.
  const ordered = [...plans].sort((a, b) => b.edits.length - a.edits.length || a.ref.start - b.ref.start);
  const overlapped = new Uint8Array(ordered.length);
  // Indexed: ~10,000 plans per suite, run cold, where for...of allocates per element.
  for (let p = 0; p < ordered.length; p++) {
    const plan = ordered[p];
    if (plan.reason !== undefined) continue;
    if (plan.edits.some((edit) => occupied.overlaps(edit))) {
      overlapped[p] = 1;
      continue;
    }
    for (let e = 0; e < plan.edits.length; e++) {
      taken.push(plan.edits[e]);
      occupied.add(plan.edits[e]);
    }
  }
  const outcomes = (): ReferenceOutcome[] =>
    ordered
      .map((plan, p): ReferenceOutcome => {
        if (plan.reason !== undefined) return { ref: plan.ref, converted: false, reason: plan.reason };
        if (overlapped[p]) return { ref: plan.ref, converted: false, reason: 'inside code already rewritten by another edit' };
        return { ref: plan.ref, converted: true };
      })
      .sort((a, b) => a.ref.start - b.ref.start);
  return { edits: sortEdits(taken), outcomes };
}

/**
 * The non-empty ranges taken so far, sorted by start, answering "does this range overlap one?" by binary search:
 * a file with thousands of renames made the pairwise check quadratic. Insertions (empty ranges) overlap nothing.
 */
class OccupiedRanges {
  private readonly ranges: TextEdit[] = [];
  private longest = 0;

  add(edit: TextEdit): void {
    if (edit.start === edit.end) return;
    this.ranges.splice(this.firstStartingAtOrAfter(edit.start), 0, edit);
    this.longest = Math.max(this.longest, edit.end - edit.start);
  }

  overlaps(edit: TextEdit): boolean {
    if (edit.start === edit.end) return false;
    // Only ranges starting before edit.end can overlap it, and none starting at or before edit.start - longest.
    for (let i = this.firstStartingAtOrAfter(edit.end) - 1; i >= 0 && this.ranges[i].start > edit.start - this.longest; i--) {
      if (this.ranges[i].end > edit.start) return true;
    }
    return false;
  }

  private firstStartingAtOrAfter(offset: number): number {
    let low = 0;
    let high = this.ranges.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.ranges[mid].start < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

const LOSSY_NOTE = 'text contains U+FFFD (a lossy decode of non-UTF-8 bytes): not rewritten; decode such files as latin1';

/** The mapping the options choose (loaded once per choice). */
export function mapFor(options: HipifyOptions = {}): CudaMap {
  return cudaMap({ hipLibrary: options.hipLibrary, dnn: options.dnn, hipVersion: options.hipVersion });
}

function resultOf(path: string, text: string, refs: CudaReference[], notes: string[], options: HipifyOptions = {}, fixed: readonly TextEdit[] = []): HipifyResult {
  const include = options.runtimeInclude ? runtimeIncludeEdit(path, text, refs) : undefined;
  const { edits, outcomes } = nonOverlapping(refs.map((ref) => planReference(ref, text, options)), include ? [include, ...fixed] : fixed);
  if (include) notes = [...notes, 'added #include <hip/hip_runtime.h> (nvcc includes cuda_runtime.h by itself, hipcc does not)'];
  // Built on first read: `porta fix` without --stats never needs them, and they cost as much as the rewrite.
  let stats: ConversionStats | undefined;
  let rewritten: string | undefined;
  return {
    // Built on first read too: `porta fix` writes an ASCII file's bytes straight from the edits (editBytes).
    get text() {
      return (rewritten ??= applyEdits(text, edits));
    },
    edits,
    get stats() {
      return (stats ??= buildStats(path, text, outcomes(), edits, notes));
    },
    get unconverted() {
      return this.stats.unconverted;
    },
  };
}

/** Rewrites one parsed file from its syntax tree. */
export function hipifyTree(path: string, text: string, tree: TreeSitter.Tree, options: HipifyOptions = {}): HipifyResult {
  if (text.includes('\uFFFD')) return resultOf(path, text, [], [LOSSY_NOTE]);
  const notes = tree.rootNode.hasError ? ['the file does not parse fully: only renames of confirmed tokens were made inside the unparsed parts'] : [];
  const launches = options.kernelLaunch === 'hipLaunchKernelGGL' ? launchEdits(tree, text) : [];
  return resultOf(path, text, scanReferences(tree, text, undefined, mapFor(options)), notes, options, launches);
}

export type Hipifier = (path: string, text: string, options?: HipifyOptions) => HipifyResult;

function hipifierFor(parser: TreeSitter.Parser): Hipifier {
  return (path, text, options) => {
    if (text.includes('\uFFFD')) return resultOf(path, text, [], [LOSSY_NOTE]);
    // Launch rewrites need the tree; the lexical fast path serves the rest.
    const launches = options?.kernelLaunch === 'hipLaunchKernelGGL' && text.includes('<<<');
    if (options?.engine !== 'tree' && !launches) {
      const refs = lexReferences(text, mapFor(options));
      if (refs) return resultOf(path, text, refs, [], options);
    }
    const tree = parser.parse(text);
    if (!tree) throw new Error(`tree-sitter could not parse ${path}`);
    try {
      return hipifyTree(path, text, tree, options);
    } finally {
      tree.delete();
    }
  };
}

/** A synchronous hipify bound to its own CUDA parser. */
export async function createHipifier(): Promise<Hipifier> {
  return hipifierFor(await createParser('cuda'));
}

let loading: Promise<Hipifier> | undefined;
let loaded: Hipifier | undefined;

/** Loads the CUDA grammar once; afterwards hipify() runs synchronously. */
export async function loadHipify(): Promise<void> {
  loading ??= createHipifier().then((hipifier) => (loaded = hipifier));
  await loading;
}

const NOT_LOADED_NOTE = 'not rewritten: the file is not lexically regular and the CUDA parser is not loaded (await loadHipify() first)';

/**
 * The rewrite of a file that needs no parser (lexically regular, no launch rewrite asked for), or undefined when it
 * needs the syntax tree. Lets a caller load the CUDA grammar only for the files that need it: loading it (a 4 MB
 * WebAssembly module) costs more than rewriting a hundred regular files.
 */
export function hipifyWithoutParser(path: string, text: string, options?: HipifyOptions): HipifyResult | undefined {
  if (text.includes('\uFFFD')) return resultOf(path, text, [], [LOSSY_NOTE]);
  const needsTree = options?.engine === 'tree' || (options?.kernelLaunch === 'hipLaunchKernelGGL' && text.includes('<<<'));
  const refs = needsTree ? undefined : lexReferences(text, mapFor(options));
  return refs && resultOf(path, text, refs, [], options);
}

/**
 * CUDA → HIP rewrite of one file: text, edits, per-file conversion statistics and what stayed unconverted.
 * Synchronous. Lexically regular files need no parser; for the others call `await loadHipify()` once before
 * (loadCudaAnalyzer() also does it) — without it such a file is returned unchanged with a note saying why.
 */
export function hipify(path: string, text: string, options?: HipifyOptions): HipifyResult {
  if (loaded) return loaded(path, text, options);
  return hipifyWithoutParser(path, text, options) ?? resultOf(path, text, [], [NOT_LOADED_NOTE]);
}

/** hipify() that loads the grammar on first use, and only when the file needs it. */
export async function hipifyAsync(path: string, text: string, options?: HipifyOptions): Promise<HipifyResult> {
  if (!loaded) {
    const lexical = hipifyWithoutParser(path, text, options);
    if (lexical) return lexical;
  }
  await loadHipify();
  return hipify(path, text, options);
}

/**
 * nvcc includes cuda_runtime.h in every .cu file by itself; hipcc does not include hip/hip_runtime.h, so a HIP file
 * that relied on the implicit include (threadIdx, hipMalloc, __global__ helpers) does not compile. Like hipify, the
 * rewrite adds `#include <hip/hip_runtime.h>` at the top — after a leading `#pragma once` — unless the file already
 * includes it or a header that becomes it.
 */
import type { TextEdit } from '../model';
import type { CudaReference } from './scan';

const RUNTIME = 'hip/hip_runtime.h';
const CUDA_FILE = /\.(cu|cuh)$/i;
const CUDA_CONSTRUCT = /__global__|__device__|__shared__|<<</;

/** Whether a line is an include of the HIP runtime (a file already ported, or rewritten by hand). */
function includesRuntime(text: string): boolean {
  for (let at = text.indexOf(RUNTIME); at >= 0; at = text.indexOf(RUNTIME, at + 1)) {
    const line = text.slice(text.lastIndexOf('\n', at) + 1, at).replace(/[ \t]/g, '');
    if (line === '#include<' || line === '#include"') return true;
  }
  return false;
}

/** Offset of the first line that is not blank or a comment; after `#pragma once` when that comes first. */
function insertionPoint(text: string): number {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('//', i)) i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i) + 1;
    else if (text.startsWith('/*', i) && text.indexOf('*/', i + 2) >= 0) i = text.indexOf('*/', i + 2) + 2;
    else break;
  }
  const lineStart = text.lastIndexOf('\n', i - 1) + 1;
  const line = text.slice(lineStart, text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i));
  if (/^#[ \t]*pragma[ \t]+once\b/.test(line.trim())) return lineStart + line.length + 1 > text.length ? text.length : lineStart + line.length + 1;
  return lineStart;
}

/** The insertion, or nothing when the file needs none. */
export function runtimeIncludeEdit(path: string, text: string, refs: readonly CudaReference[]): TextEdit | undefined {
  if (refs.some((ref) => ref.context === 'include' && ref.entry.hip === RUNTIME) || includesRuntime(text)) return undefined;
  const usesCuda = CUDA_FILE.test(path) || CUDA_CONSTRUCT.test(text) || refs.some((ref) => ref.context !== 'include' && /^CUDA (Runtime|Driver|Device) API$/.test(ref.entry.library));
  if (!usesCuda) return undefined;
  const at = insertionPoint(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const prefix = at === text.length && text.length > 0 && !text.endsWith('\n') ? eol : '';
  return { start: at, end: at, text: `${prefix}#include <${RUNTIME}>${eol}` };
}

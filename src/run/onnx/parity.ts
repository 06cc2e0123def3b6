import { createHash } from 'node:crypto';
import type { OutputParity, OutputSummary } from '../record';
import type { PlainTensor } from './types';

/** Element-wise tolerance as in numpy.allclose: |a - b| <= atol + rtol * |b|. */
export interface Tolerance {
  atol: number;
  rtol: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { atol: 1e-4, rtol: 1e-3 };

/** Compares one output with its reference (`reference` is the CPU provider's, PyTorch's or a reference run's). */
export function compareOutput(name: string, actual: ArrayLike<number>, reference: ArrayLike<number>, tolerance: Tolerance = DEFAULT_TOLERANCE): OutputParity {
  if (actual.length !== reference.length) {
    return { name, maxAbsError: Infinity, maxRelError: Infinity, cosine: 0, withinTolerance: false };
  }
  let maxAbs = 0;
  let maxRel = 0;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  let within = true;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const b = reference[i];
    // Identical non-finite values (inf == inf, NaN vs NaN) agree; any other NaN is drift.
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      if (!(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)))) {
        within = false;
        maxAbs = Infinity;
        maxRel = Infinity;
      }
      continue;
    }
    const diff = Math.abs(a - b);
    if (diff > maxAbs) maxAbs = diff;
    const rel = diff === 0 ? 0 : diff / Math.max(Math.abs(b), Number.EPSILON);
    if (rel > maxRel) maxRel = rel;
    if (diff > tolerance.atol + tolerance.rtol * Math.abs(b)) within = false;
    dot += a * b;
    normA += a * a;
    normB += b * b;
  }
  // Two all-zero vectors are identical; one zero vector against a non-zero one is orthogonal.
  const cosine = normA === 0 && normB === 0 ? 1 : normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
  return { name, maxAbsError: maxAbs, maxRelError: maxRel, cosine, withinTolerance: within };
}

/** Parity of every output of a run against the reference outputs, matched by name. */
export function compareOutputs(actual: readonly PlainTensor[], reference: readonly PlainTensor[], tolerance: Tolerance = DEFAULT_TOLERANCE): OutputParity[] {
  return reference.map((ref) => {
    const mine = actual.find((t) => t.name === ref.name);
    if (!mine || mine.dims.join('x') !== ref.dims.join('x')) {
      return { name: ref.name, maxAbsError: Infinity, maxRelError: Infinity, cosine: 0, withinTolerance: false };
    }
    return compareOutput(ref.name, mine.data, ref.data, tolerance);
  });
}

/**
 * Digest of the values quantised to `quantum`, so that runs on different hardware with tiny float noise
 * usually share a checksum. A value sitting on a rounding boundary can still flip it: parity is the real test.
 */
export function outputChecksum(tensor: PlainTensor, quantum = 1e-3): string {
  const hash = createHash('sha256');
  hash.update(`${tensor.type}:${tensor.dims.join('x')}:`);
  const chunk: string[] = [];
  for (let i = 0; i < tensor.data.length; i++) {
    const value = tensor.data[i];
    chunk.push(Number.isFinite(value) ? String(Math.round(value / quantum) + 0) : String(value));
    if (chunk.length === 4096) {
      hash.update(chunk.join(',') + ',');
      chunk.length = 0;
    }
  }
  hash.update(chunk.join(','));
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}

/** The record's view of an output: shape, checksum and a few leading values. */
export function summarizeOutput(tensor: PlainTensor, headLength = 16): OutputSummary {
  return {
    name: tensor.name,
    shape: [...tensor.dims],
    checksum: outputChecksum(tensor),
    head: Array.from(tensor.data.slice(0, headLength) as ArrayLike<number>),
  };
}

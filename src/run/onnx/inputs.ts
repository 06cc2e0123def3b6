import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { parseNpy } from './npy';
import type { ElementType, InputSource } from './types';

/** What the model declares for one input: fixed dims are numbers, dynamic ones are names (or undefined). */
export interface InputMetadata {
  name: string;
  type: string;
  shape: (number | string | undefined)[];
}

/** A ready feed: typed data in the layout onnxruntime expects. */
export interface Feed {
  name: string;
  type: ElementType;
  dims: number[];
  data: Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | BigInt64Array;
}

/** Error in what the user asked for (shape, file, name): reported as the model's/user's fault, not the provider's. */
export class InputError extends Error {}

const SUPPORTED: ElementType[] = ['float32', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'int64', 'bool'];

/** Parses `--input name=1x3x224x224`, `name=1,3,224,224` or `name=path.npy|path.json`. */
export function parseInputArg(arg: string): InputSource {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new InputError(`--input expects name=shape or name=file (e.g. input=1x3x224x224), got '${arg}'`);
  const name = arg.slice(0, eq);
  const value = arg.slice(eq + 1);
  if (/\.(npy|json)$/i.test(value)) return { name, file: value };
  if (!/^\d+([x,]\d+)*$/.test(value)) throw new InputError(`--input ${name}: '${value}' is neither a shape like 1x3x224x224 nor a .npy/.json file`);
  const shape = value.split(/[x,]/).map(Number);
  // Even at one byte an element, a shape past the cap cannot be allocated: refuse it before anything starts.
  checkFeedSize(name, shape, 1);
  return { name, shape };
}

/** A default for a dynamic dimension, guessed from its symbolic name. */
export function defaultDimension(symbol: string | undefined): number {
  const s = (symbol ?? '').toLowerCase();
  if (/seq|len|token|time|step/.test(s)) return 128;
  if (/height|width|^h$|^w$|size/.test(s)) return 224;
  return 1; // batch, N, unnamed: one item
}

/** Resolves the shape of one input: the user's shape (checked against fixed dims) or the model's with defaults. */
export function resolveShape(meta: InputMetadata, requested?: number[]): number[] {
  if (!requested) return meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : defaultDimension(typeof d === 'string' ? d : undefined)));
  if (requested.length !== meta.shape.length) {
    throw new InputError(`input '${meta.name}' has rank ${meta.shape.length} [${describeShape(meta.shape)}], but the given shape ${requested.join('x')} has rank ${requested.length}`);
  }
  meta.shape.forEach((d, i) => {
    if (typeof d === 'number' && d >= 0 && d !== requested[i]) {
      throw new InputError(`input '${meta.name}' needs dimension ${i} = ${d} [${describeShape(meta.shape)}], got ${requested[i]}`);
    }
  });
  return requested;
}

export function describeShape(shape: readonly (number | string | undefined)[]): string {
  return shape.map((d) => (d === undefined || d === -1 ? '?' : String(d))).join(', ');
}

/** Deterministic PRNG (mulberry32) so that every provider's worker builds the same inputs. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkType(meta: InputMetadata): ElementType {
  if (!SUPPORTED.includes(meta.type as ElementType)) {
    throw new InputError(`input '${meta.name}' has element type ${meta.type}, which cannot be synthesised or loaded (supported: ${SUPPORTED.join(', ')})`);
  }
  return meta.type as ElementType;
}

/**
 * The largest synthetic input: a quarter of this machine's memory, and never over 2 GiB (a typed array's practical
 * limit). `--input x=1000000000x4` is refused with this instead of allocating until the worker dies.
 */
export const MAX_FEED_BYTES = Math.min(2 ** 31, Math.floor(totalmem() / 4));

const ELEMENT_BYTES: Record<ElementType, number> = { float32: 4, float64: 8, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, int64: 8, bool: 1 };

function checkFeedSize(name: string, dims: readonly number[], bytesPerElement: number): number {
  const count = dims.reduce((a, b) => a * b, 1);
  const bytes = count * bytesPerElement;
  if (!Number.isSafeInteger(count) || bytes > MAX_FEED_BYTES) {
    throw new InputError(`input '${name}': shape ${dims.join('x')} needs ${formatBytes(bytes)}, over the ${formatBytes(MAX_FEED_BYTES)} an input may take on this machine`);
  }
  return count;
}

function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes >= 2 ** 40) return `${(bytes / 2 ** 40).toPrecision(3)} TiB`;
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Synthetic data: floats uniform in [-1, 1), integers in [0, 10) (safe as indices), booleans 0/1. */
export function synthesize(meta: InputMetadata, dims: number[], seed: number): Feed {
  const type = checkType(meta);
  const count = checkFeedSize(meta.name, dims, ELEMENT_BYTES[type]);
  const next = random(seed);
  const float = () => next() * 2 - 1;
  const small = () => Math.floor(next() * 10);
  // Filled in place: no intermediate array of boxed numbers as large as the tensor.
  const fill = <T extends { length: number; [i: number]: number }>(array: T, value: () => number): T => {
    for (let i = 0; i < array.length; i++) array[i] = value();
    return array;
  };
  const data = {
    float32: () => fill(new Float32Array(count), float), float64: () => fill(new Float64Array(count), float),
    int8: () => fill(new Int8Array(count), small), uint8: () => fill(new Uint8Array(count), small),
    int16: () => fill(new Int16Array(count), small), uint16: () => fill(new Uint16Array(count), small),
    int32: () => fill(new Int32Array(count), small),
    int64: () => {
      const array = new BigInt64Array(count);
      for (let i = 0; i < count; i++) array[i] = BigInt(small());
      return array;
    },
    bool: () => fill(new Uint8Array(count), () => (next() < 0.5 ? 0 : 1)),
  }[type]();
  return { name: meta.name, type, dims, data };
}

function flatten(value: unknown, shape: number[], depth: number, out: number[], label: string): void {
  if (Array.isArray(value)) {
    if (shape.length === depth) shape.push(value.length);
    else if (shape[depth] !== value.length) throw new InputError(`${label}: ragged nested array at depth ${depth}`);
    for (const item of value) flatten(item, shape, depth + 1, out, label);
    return;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    if (depth !== shape.length) throw new InputError(`${label}: ragged nested array at depth ${depth}`);
    out.push(Number(value));
    return;
  }
  throw new InputError(`${label}: JSON values must be numbers, booleans or nested arrays`);
}

/** Converts plain numbers to the typed array of the model's element type. */
function typed(type: ElementType, values: ArrayLike<number | bigint>): Feed['data'] {
  const nums = Array.from(values, (v) => Number(v));
  switch (type) {
    case 'float32': return Float32Array.from(nums);
    case 'float64': return Float64Array.from(nums);
    case 'int8': return Int8Array.from(nums);
    case 'uint8': case 'bool': return Uint8Array.from(nums);
    case 'int16': return Int16Array.from(nums);
    case 'uint16': return Uint16Array.from(nums);
    case 'int32': return Int32Array.from(nums);
    case 'int64': return BigInt64Array.from(values, (v) => BigInt(typeof v === 'bigint' ? v : Math.trunc(v)));
  }
}

/** Loads an input from .npy or JSON (nested arrays, or {"dims": [...], "data": [...]}), converted to the model's type. */
export function loadInputFile(meta: InputMetadata, file: string): Feed {
  const type = checkType(meta);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new InputError(`input '${meta.name}': cannot read ${file}: ${(error as Error).message}`);
  }
  let dims: number[];
  let values: ArrayLike<number | bigint>;
  if (/\.npy$/i.test(file)) {
    try {
      const array = parseNpy(bytes, file);
      dims = array.shape;
      values = array.data;
    } catch (error) {
      throw new InputError((error as Error).message);
    }
  } else {
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new InputError(`${file}: invalid JSON: ${(error as Error).message}`);
    }
    const out: number[] = [];
    if (json && typeof json === 'object' && !Array.isArray(json) && 'data' in json) {
      const { dims: given, data } = json as { dims?: unknown; data: unknown };
      flatten(data, [], 0, out, file);
      dims = Array.isArray(given) ? given.map(Number) : [out.length];
    } else {
      dims = [];
      flatten(json, dims, 0, out, file);
    }
    values = out;
  }
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== values.length) throw new InputError(`${file}: ${values.length} values do not fill shape ${dims.join('x')}`);
  resolveShape(meta, dims);
  return { name: meta.name, type, dims, data: typed(type, values) };
}

/** Builds every feed of a model from the user's sources; unknown names and missing inputs are errors. */
export function buildFeeds(metadata: readonly InputMetadata[], sources: readonly InputSource[], seed: number): Feed[] {
  const known = new Set(metadata.map((m) => m.name));
  for (const source of sources) {
    if (!known.has(source.name)) {
      throw new InputError(`the model has no input '${source.name}' (inputs: ${metadata.map((m) => `${m.name} [${describeShape(m.shape)}]`).join(', ') || 'none'})`);
    }
  }
  return metadata.map((meta, index) => {
    const source = sources.find((s) => s.name === meta.name);
    if (source && 'file' in source) return loadInputFile(meta, source.file);
    return synthesize(meta, resolveShape(meta, source?.shape), seed + index);
  });
}

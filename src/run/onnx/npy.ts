import type { ElementType } from './types';

/** A parsed NumPy .npy array (format versions 1-3, C order, little-endian numeric types). */
export interface NpyArray {
  type: ElementType;
  shape: number[];
  data: ArrayLike<number | bigint>;
}

const DESCRS: Record<string, ElementType> = {
  '<f4': 'float32', '<f8': 'float64', '|i1': 'int8', '|u1': 'uint8', '<i2': 'int16', '<u2': 'uint16',
  '<i4': 'int32', '<i8': 'int64', '|b1': 'bool',
};

const BYTES: Record<ElementType, number> = {
  float32: 4, float64: 8, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, int64: 8, bool: 1,
};

export function parseNpy(bytes: Uint8Array, label = 'array'): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new Error(`${label}: not a .npy file (bad magic)`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new Error(`${label}: unreadable .npy header: ${header.trim()}`);
  if (fortran === 'True') throw new Error(`${label}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray`);
  const type = DESCRS[descr];
  if (!type) throw new Error(`${label}: unsupported .npy dtype '${descr}' (supported: ${Object.keys(DESCRS).join(', ')})`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  const byteLength = count * BYTES[type];
  if (bytes.length - dataStart < byteLength) throw new Error(`${label}: truncated .npy (${bytes.length - dataStart} of ${byteLength} data bytes)`);
  // Copy so that the typed array is aligned whatever the header length.
  const raw = new Uint8Array(bytes.subarray(dataStart, dataStart + byteLength)).buffer; // a copy, even for a Buffer
  const data = {
    float32: () => new Float32Array(raw), float64: () => new Float64Array(raw), int8: () => new Int8Array(raw),
    uint8: () => new Uint8Array(raw), int16: () => new Int16Array(raw), uint16: () => new Uint16Array(raw),
    int32: () => new Int32Array(raw), int64: () => new BigInt64Array(raw), bool: () => new Uint8Array(raw),
  }[type]();
  return { type, shape, data };
}

/** Writes a little-endian C-order .npy (version 1). Used for saving reference inputs/outputs. */
export function writeNpy(type: 'float32' | 'float64' | 'int64', shape: number[], values: ArrayLike<number>): Uint8Array {
  const descr = { float32: '<f4', float64: '<f8', int64: '<i8' }[type];
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const prefix = new Uint8Array(10 + header.length);
  prefix.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(prefix.buffer).setUint16(8, header.length, true);
  prefix.set(new TextEncoder().encode(header), 10);
  const body = type === 'float32' ? new Float32Array(Array.from(values)) : type === 'float64' ? new Float64Array(Array.from(values)) : BigInt64Array.from(Array.from(values), (v) => BigInt(Math.trunc(v)));
  const out = new Uint8Array(prefix.length + body.byteLength);
  out.set(prefix);
  out.set(new Uint8Array(body.buffer), prefix.length);
  return out;
}

import type { TreeSitter } from '../parse/loader';
import { stringValue } from './strings';

type Node = TreeSitter.Node;

/** Backends of `torch.compile` that run only on NVIDIA GPUs: CUDA graphs and TensorRT. */
const CUDA_ONLY_BACKENDS = new Set(['cudagraphs', 'tensorrt', 'torch_tensorrt']);
/** Modes that capture CUDA graphs (the `-no-cudagraphs` variants do not). */
const CUDA_GRAPH_MODES = new Set(['reduce-overhead', 'max-autotune']);
/** Inductor options that capture CUDA graphs. */
const CUDA_GRAPH_OPTIONS = new Set(['triton.cudagraphs', 'triton.cudagraph_trees']);

/**
 * What a `torch.compile(...)` call names that only NVIDIA GPUs have (`backend="cudagraphs"`, `mode="reduce-overhead"`,
 * `options={"triton.cudagraphs": True}`), or undefined: with the default Inductor backend the call is portable
 * (Inductor generates Triton for CUDA, ROCm and XPU and C++ for the CPU), so it is no lock-in (issue 14).
 */
export function cudaOnlyCompileFeature(call: Node): string | undefined {
  const args = call.childForFieldName('arguments');
  for (const arg of args?.namedChildren ?? []) {
    if (arg?.type !== 'keyword_argument') continue;
    const name = arg.childForFieldName('name')?.text;
    const value = arg.childForFieldName('value');
    if (!value) continue;
    if (value.type === 'string' && name === 'backend' && CUDA_ONLY_BACKENDS.has(stringValue(value).value)) return `backend="${stringValue(value).value}"`;
    if (value.type === 'string' && name === 'mode' && CUDA_GRAPH_MODES.has(stringValue(value).value)) return `mode="${stringValue(value).value}"`;
    if (name === 'options' && value.type === 'dictionary') {
      for (const pair of value.namedChildren) {
        const key = pair?.type === 'pair' ? pair.childForFieldName('key') : null;
        if (key?.type === 'string' && CUDA_GRAPH_OPTIONS.has(stringValue(key).value) && pair!.childForFieldName('value')?.text === 'True') return `options={"${stringValue(key).value}": True}`;
      }
    }
  }
  return undefined;
}

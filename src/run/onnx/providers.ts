/**
 * Execution provider names `porta bench --ep` accepts: ONNX Runtime's short names (what onnxruntime-node takes; the
 * Python worker maps them to its class names) and the full `...ExecutionProvider` names the Python package uses.
 * A name outside both can never run anywhere, so it is a typo, not an unavailable provider.
 */
export const KNOWN_PROVIDERS = [
  'cpu', 'cuda', 'tensorrt', 'rocm', 'migraphx', 'openvino', 'dml', 'coreml', 'qnn', 'cann', 'webgpu', 'xnnpack',
  'dnnl', 'nnapi', 'webnn', 'wasm', 'js', 'acl', 'armnn', 'vitisai', 'azure', 'snpe', 'tvm', 'rknpu',
] as const;

export function isKnownProvider(name: string): boolean {
  return (KNOWN_PROVIDERS as readonly string[]).includes(name.toLowerCase()) || /^[A-Za-z]+ExecutionProvider$/.test(name);
}

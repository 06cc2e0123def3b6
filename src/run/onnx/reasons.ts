/**
 * Turns ONNX Runtime's errors into one readable line, keeping the runtime's own words
 * (e.g. "Failed to get a WebGPU adapter: No supported adapters") but not its source paths.
 */
export function providerReason(provider: string, message: string): string {
  const text = message.replace(/\s+/g, ' ').trim();
  if (/no available backend found/i.test(text)) return `this onnxruntime build has no '${provider}' execution provider (${text})`;
  if (text.includes(' was false. ')) return shorten(text);
  if (/Failed to load shared library/i.test(text)) {
    return `Failed to load shared library: the ${provider} execution provider's libraries (and their driver/toolkit) are not installed on this target`;
  }
  return shorten(text);
}

/** Drops the C++ source location and signature that ONNX Runtime puts before its message. */
function shorten(text: string): string {
  const assertion = text.lastIndexOf(' was false. ');
  if (assertion >= 0) return text.slice(assertion + ' was false. '.length).trim();
  return text.replace(/\/onnxruntime_src\/\S+:\d+ .*?\) /, '');
}

/** A model-level failure, phrased for the user: what broke and, when known, what to do. */
export function modelFailure(stage: string, message: string, model: string): string {
  const text = message.replace(/\s+/g, ' ').trim();
  if (stage === 'read') return text;
  if (stage === 'session') {
    if (/OrtValue indexes should have been populated/i.test(text)) return `${model} has an empty graph (no nodes, inputs or outputs): nothing to benchmark`;
    if (/protobuf parsing failed/i.test(text)) return `${model} is not a valid ONNX model (corrupt or truncated file): ${text}`;
    if (/Model data pointer is null/i.test(text)) return `${model} is empty: ${text}`;
    if (/not a registered function\/op|No Op registered|Could not find an implementation/i.test(text)) {
      return `${model} uses an operator this onnxruntime does not support: ${text}`;
    }
    return `cannot load ${model}: ${shorten(text)}`;
  }
  if (stage === 'inputs') return `bad input: ${text}`;
  if (stage === 'run') return `inference failed (mismatched input shapes?): ${shorten(text)}`;
  return text;
}

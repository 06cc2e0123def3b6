import { defineRules, type ApiPattern } from './types';

/** ORT providers, TensorFlow and JAX device APIs. */
export const ortRules = defineRules('ORT', [
  {
    id: 'ORT-001', title: 'ONNX Runtime provider list names NVIDIA providers', severity: 'warning',
    verdicts: 'ok degraded degraded degraded degraded ok', fixable: true,
    rationale: 'CUDAExecutionProvider / TensorrtExecutionProvider exist only in onnxruntime-gpu on NVIDIA. Elsewhere ONNX Runtime warns and falls back to the CPU provider.',
    portable: 'Pick providers per target from `ort.get_available_providers()`: ROCMExecutionProvider/MIGraphXExecutionProvider, CANNExecutionProvider, OpenVINOExecutionProvider, CoreMLExecutionProvider, then CPUExecutionProvider.',
    example: 'ort.InferenceSession(path, providers=["CUDAExecutionProvider"])',
  },
]);

export const tfRules = defineRules('TF', [
  {
    id: 'TF-001', title: 'TensorFlow CUDA build probe', severity: 'warning', verdicts: 'ok degraded degraded degraded degraded ok',
    rationale: '`tf.test.is_built_with_cuda()` is False on ROCm and Metal builds; `tf.test.is_gpu_available()` is deprecated.',
    portable: '`tf.config.list_physical_devices()` and check the device types you support (GPU covers CUDA, ROCm and Metal; XPU for Intel).',
    example: 'if tf.test.is_built_with_cuda(): ...',
  },
  {
    id: 'TF-002', title: 'TensorFlow device pinned to GPU', severity: 'info', verdicts: 'ok ok breaks breaks ok ok',
    rationale: '"/GPU:0" covers CUDA, ROCm and Metal devices, but Intel\'s plugin registers "XPU" and Ascend "NPU"; with soft placement the CPU runs the op instead.',
    portable: 'Choose the device string from `tf.config.list_logical_devices()` at start-up.',
    example: 'with tf.device("/GPU:0"): ...',
  },
  {
    id: 'TF-003', title: 'TensorFlow lists only GPU devices', severity: 'info', verdicts: 'ok ok breaks degraded ok ok',
    rationale: '`list_physical_devices("GPU")` misses Intel XPU and Ascend NPU devices.', portable: 'List all devices and filter by the types you support.',
    example: 'gpus = tf.config.list_physical_devices("GPU")',
  },
]);

export const jaxRules = defineRules('JAX', [
  {
    id: 'JAX-001', title: 'JAX platform "cuda" hard-coded', severity: 'warning', verdicts: 'ok breaks breaks breaks breaks breaks',
    rationale: 'The JAX platform name "cuda" matches only NVIDIA; ROCm registers "rocm". "gpu" (or no argument) works on both.',
    portable: '`jax.devices()` or `jax.devices("gpu")`; `JAX_PLATFORMS` left unset or set per target.',
    example: 'jax.devices("cuda")',
  },
]);

export const rules = [...ortRules, ...tfRules, ...jaxRules];

export const apis: ApiPattern[] = [
  { name: 'tensorflow.test.is_built_with_cuda', rule: 'TF-001' },
  { name: 'tensorflow.test.is_built_with_gpu_support', rule: 'TF-001' },
  { name: 'tensorflow.test.is_gpu_available', rule: 'TF-001' },
];

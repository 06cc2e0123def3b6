import * as v8 from 'node:v8';

/**
 * A CLI run is short: V8 tiering tree-sitter's 4 MB CUDA grammar up to its optimizing WebAssembly compiler costs more
 * CPU than the faster code saves. Measured on hipify's suite (bench/hipify-perl.ts): a third of a `porta fix --target
 * hip` process was that background compile, and even parsing the whole suite three times over is cheaper without it.
 * Applies to modules compiled afterwards, so call it before the first grammar loads. The editor's long-lived
 * workers keep V8's default, where tiering up pays off.
 */
export function preferBaselineWasm(): void {
  v8.setFlagsFromString('--liftoff-only');
}

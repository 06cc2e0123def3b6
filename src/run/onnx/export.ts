import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { harnessDir } from '../harness-dir';
import { defaultLocalPython } from '../targets/localPython';

export interface ExportOptions {
  /** Python file defining the nn.Module subclass. */
  source: string;
  className: string;
  /** Where to write the .onnx (reference inputs/outputs go beside it as .npy). */
  out: string;
  /** Interpreter with torch (default: $PORTA_PYTHON or python3). */
  python?: string;
  inputShapes?: number[][];
  /** Constructor arguments: a JSON list (positional) or object (keywords). */
  initArgs?: unknown[] | Record<string, unknown>;
  opset?: number;
  signal?: AbortSignal;
}

export interface ExportedTensor {
  name: string;
  shape: number[];
  file: string;
  dtype?: string;
}

export interface ExportResult {
  onnx: string;
  opset: number;
  torch: string;
  checker: string;
  inputs: ExportedTensor[];
  /** PyTorch's outputs for the saved inputs: the reference for ONNX Runtime's. */
  outputs: ExportedTensor[];
  /** The comparison done in Python when its onnxruntime exists there. */
  pythonOrt: { available: boolean; reason?: string; version?: string };
}

/** Export failed: the message is the harness's own (import error, shape guess, torch.onnx.export, onnx.checker). */
export class ExportError extends Error {}

/** Runs src/run/harness/porta_export.py and returns what it exported. */
export async function exportPyTorchModule(options: ExportOptions): Promise<ExportResult> {
  // Same interpreter as a run on the built-in local target: the first one that has torch.
  const python = options.python ?? (await defaultLocalPython());
  const args = [join(harnessDir(), 'porta_export.py'), '--source', options.source, '--class', options.className, '--out', options.out];
  for (const shape of options.inputShapes ?? []) args.push('--input-shape', shape.join('x'));
  if (options.initArgs) args.push('--init-args', JSON.stringify(options.initArgs));
  if (options.opset) args.push('--opset', String(options.opset));
  return new Promise((resolve, reject) => {
    execFile(python, args, { signal: options.signal, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 }, (error, stdout, stderr) => {
      const line = (kind: string) => stdout.split('\n').reverse().find((l) => l.startsWith(`PORTA_${kind} `));
      const exported = line('EXPORT');
      if (exported && !error) return resolve(JSON.parse(exported.slice('PORTA_EXPORT '.length)) as ExportResult);
      const failure = line('ERROR');
      if (failure) return reject(new ExportError((JSON.parse(failure.slice('PORTA_ERROR '.length)) as { message: string }).message));
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') return reject(new ExportError(`the interpreter '${python}' was not found (set PORTA_PYTHON or --python)`));
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      reject(new ExportError(`exporting ${options.className} failed${tail ? `: ${tail}` : ''}`));
    });
  });
}

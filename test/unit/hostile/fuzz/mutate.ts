import type { Random } from './random';

/**
 * Text mutations for the fuzz test. Each takes the text, the random source and the other fixtures (for splices) and
 * returns the mutated text. They aim at what breaks analyzers: half-edited code, odd line endings, CUDA tokens in the
 * wrong place, unbalanced brackets and quotes, control characters and very long lines.
 */
export type Mutator = (text: string, random: Random, donors: readonly string[]) => string;

/** CUDA-ish and syntax-breaking tokens, across every file kind Porta reads. */
export const TOKENS: readonly string[] = [
  '.cuda(', '.cuda()', '.cuda(0)', '.to("cuda")', 'torch.cuda.', 'torch.cuda.synchronize()', 'torch.cuda.is_available()',
  '"cuda:0"', "'cuda'", 'f"cuda:{rank}"', 'torch.device("cuda")', 'device="cuda"', 'torch.backends.cudnn.benchmark = True',
  'with torch.autocast("cuda"):', 'from torch.cuda.amp import autocast', 'import torch.cuda as tc', 'tc.', 'nccl', '"nccl"',
  'torch.cuda.FloatTensor', 'torch.set_default_tensor_type(', 'device_ids=[0, 1]', 'CUDAExecutionProvider', '.record_stream(',
  '# porta: ignore', '# porta: ignore[PT-DEV-001]', 'if torch.cuda.is_available():', 'else:', 'lambda: ', 'yield ', 'async ',
  '<<<', '>>>', '<<<1, 1>>>', '<<<grid, block, 0, stream>>>', '__global__', '__device__ ', '__shared__ ', 'cudaMalloc(',
  'cudaMemcpy(', 'cudaStream_t ', '__shfl_down_sync(0xffffffff, ', '#include <cuda_runtime.h>', '#include "cublas_v2.h"',
  '#define CUDA_CHECK(x) ', '#if', '#endif', 'template <typename T> ', '::', 'cublasSgemm(', 'nvcuda::wmma::',
  'CUDA_VISIBLE_DEVICES=0 ', 'export CUDA_VISIBLE_DEVICES=', 'nvidia-smi', 'nvcc ', 'docker run --gpus all ', '$(', '${', '<<EOF',
  'FROM nvidia/cuda:12.1.0-runtime-ubuntu22.04', 'ENV NVIDIA_VISIBLE_DEVICES=all', 'RUN pip install ', '\\\n',
  'torch==2.1.0+cu121', '--extra-index-url https://download.pytorch.org/whl/cu121', 'onnxruntime-gpu', 'cupy-cuda12x',
  'nvidia-cudnn-cu12', 'flash-attn', '[tool.porta]', 'dependencies = [', '- pytorch-cuda=12.1', 'channels:',
  '%%time', '%matplotlib inline', '!nvidia-smi', '!pip install torch', '?torch.cuda',
  '(', ')', '[', ']', '{', '}', '"', "'", '"""', "'''", 'f"', 'b"', 'r"', '\\', '#', ':', ',', '=', '\t', '    ', '\u00a0',
  '\u0000', '\uFEFF', '\uFFFD', '\u200b', '\u202e', 'é', '😀', '\uD800', '\uDC00',
];

const LINE_ENDINGS = ['\n', '\r\n', '\r'];

function lines(text: string): string[] {
  return text.split('\n');
}

function position(text: string, random: Random): number {
  return random.int(0, text.length);
}

/** The offset of a random line start (where a whole-line insertion goes). */
function lineStart(text: string, random: Random): number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return random.pick(starts);
}

const flipBit: Mutator = (text, random) => {
  if (text.length === 0) return text;
  const at = random.int(0, text.length - 1);
  const code = text.charCodeAt(at) ^ (1 << random.int(0, 7));
  return text.slice(0, at) + String.fromCharCode(code) + text.slice(at + 1);
};

const deleteSpan: Mutator = (text, random) => {
  const start = position(text, random);
  const end = Math.min(text.length, start + random.int(1, random.chance(0.2) ? 400 : 24));
  return text.slice(0, start) + text.slice(end);
};

const deleteLines: Mutator = (text, random) => {
  const all = lines(text);
  const start = random.int(0, all.length - 1);
  all.splice(start, random.int(1, 3));
  return all.join('\n');
};

const duplicateLines: Mutator = (text, random) => {
  const all = lines(text);
  const start = random.int(0, all.length - 1);
  const block = all.slice(start, start + random.int(1, 4));
  const copies = random.chance(0.1) ? random.int(2, 40) : 1;
  for (let i = 0; i < copies; i++) all.splice(start, 0, ...block);
  return all.join('\n');
};

const moveLine: Mutator = (text, random) => {
  const all = lines(text);
  const [line] = all.splice(random.int(0, all.length - 1), 1);
  all.splice(random.int(0, all.length), 0, line!);
  return all.join('\n');
};

/** A few lines of another fixture (any kind), dropped in at a line start. */
const splice: Mutator = (text, random, donors) => {
  const donor = lines(random.pick(donors));
  const from = random.int(0, donor.length - 1);
  const chunk = donor.slice(from, from + random.int(1, 12)).join('\n') + '\n';
  const at = random.chance(0.7) ? lineStart(text, random) : position(text, random);
  return text.slice(0, at) + chunk + text.slice(at);
};

const insertToken: Mutator = (text, random) => {
  const token = random.pick(TOKENS);
  const at = random.chance(0.3) ? lineStart(text, random) : position(text, random);
  return text.slice(0, at) + token + text.slice(at);
};

const reindent: Mutator = (text, random) => {
  const all = lines(text);
  const i = random.int(0, all.length - 1);
  all[i] = random.chance(0.5) ? random.pick(['    ', '  ', '\t', ' ']) + all[i] : all[i]!.replace(/^\s{1,4}/, '');
  return all.join('\n');
};

/** All line endings to CRLF or lone CR, or just one line's ending changed (mixed endings). */
const lineEndings: Mutator = (text, random) => {
  const ending = random.pick(LINE_ENDINGS);
  const normalized = text.replace(/\r\n?/g, '\n');
  if (random.chance(0.5)) return normalized.split('\n').join(ending);
  const all = normalized.split('\n');
  if (all.length < 2) return text;
  const i = random.int(0, all.length - 2);
  return all.slice(0, i + 1).join('\n') + ending + all.slice(i + 1).join('\n');
};

const insertNul: Mutator = (text, random) => {
  const at = position(text, random);
  return text.slice(0, at) + '\0'.repeat(random.int(1, 3)) + text.slice(at);
};

/** A very long line: a repeated token, a repeated line of the file, or noise. */
const longLine: Mutator = (text, random) => {
  let line: string;
  const kind = random.int(0, 2);
  if (kind === 0) line = random.pick(TOKENS).repeat(random.int(20, 200));
  else if (kind === 1) line = (random.pick(lines(text)) || 'x = 1').repeat(random.int(10, 120));
  else line = Array.from({ length: random.int(1000, 20000) }, () => String.fromCharCode(random.int(32, 126))).join('');
  const at = random.chance(0.6) ? lineStart(text, random) : position(text, random);
  return text.slice(0, at) + line + (random.chance(0.7) ? '\n' : '') + text.slice(at);
};

const truncate: Mutator = (text, random) => text.slice(0, position(text, random));

const byteOrderMark: Mutator = (text) => (text.startsWith('\uFEFF') ? text.slice(1) : '\uFEFF' + text);

/** Mutators with weights (how often each is picked). */
const WEIGHTED: Array<[Mutator, number]> = [
  [flipBit, 3], [deleteSpan, 3], [deleteLines, 2], [duplicateLines, 3], [moveLine, 2], [splice, 3], [insertToken, 8],
  [reindent, 2], [lineEndings, 2], [insertNul, 1], [longLine, 1], [truncate, 1], [byteOrderMark, 1],
];
const TOTAL_WEIGHT = WEIGHTED.reduce((sum, [, weight]) => sum + weight, 0);

function pickMutator(random: Random): Mutator {
  let roll = random.next() * TOTAL_WEIGHT;
  for (const [mutator, weight] of WEIGHTED) {
    roll -= weight;
    if (roll < 0) return mutator;
  }
  return insertToken;
}

/** One to several mutations of `text`. */
export function mutateText(text: string, random: Random, donors: readonly string[]): string {
  let out = text;
  const count = random.chance(0.5) ? 1 : random.int(2, 6);
  for (let i = 0; i < count; i++) out = pickMutator(random)(out, random, donors);
  return out;
}

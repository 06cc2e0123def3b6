/**
 * NVIDIA's CUDA system packages (cuDNN, NCCL, TensorRT, the toolkit, drivers, Nsight) installed with a system package
 * manager, and NVIDIA's CUDA package repositories. Read as text, so that Dockerfile RUN lines, notebook `!` commands,
 * shell scripts and commands written in Python strings (image builders, subprocess) share one definition.
 */

/** One package word as apt/yum/dnf take it (`libcudnn8`, `libcudnn8-dev=8.9.*`, `cuda-toolkit-12-4`, `nvidia-driver-535`). */
export const CUDA_SYSTEM_PACKAGE = /^(?:cuda(?:-[a-z0-9][\w.+-]*)?|(?:lib)?cudnn\d*(?:-[\w.+-]+)?|libnccl\d*(?:-dev)?|libnvinfer[\w.+-]*|tensorrt(?:-[\w.+-]+)?|nvidia-[a-z0-9][\w.+-]*|nsight-(?:systems|compute)[\w.+-]*|lib(?:cublas|cufft|curand|cusparse|cusolver|npp|nvjpeg)[\w.+-]*|datacenter-gpu-manager)(?:=\S*)?$/i;

const INSTALL = /\b(?:apt-get|apt|yum|dnf|microdnf|zypper)\s+(?:-\S+\s+)*install\b/g;
const REPOSITORY = /https?:\/\/developer\.download\.nvidia\.com\/compute\/(?:cuda|machine-learning)\/repos\S*/g;

export interface TextHit {
  start: number;
  end: number;
}

/** Offsets of each CUDA package word in an install command, and of each NVIDIA CUDA repository URL, in `command`. */
export function cudaSystemPackageHits(command: string): TextHit[] {
  const hits: TextHit[] = [];
  for (const install of command.matchAll(INSTALL)) {
    const from = install.index + install[0].length;
    // The words up to the end of this command (`&&`, `;`, `|`, a newline that is not a continuation).
    const rest = /^(?:[^;&|\n\\]|\\\r?\n|\\.)*/.exec(command.slice(from))![0];
    for (const word of rest.matchAll(/[^\s"'\\]+/g)) {
      if (CUDA_SYSTEM_PACKAGE.test(word[0])) hits.push({ start: from + word.index, end: from + word.index + word[0].length });
    }
  }
  for (const url of command.matchAll(REPOSITORY)) hits.push({ start: url.index, end: url.index + url[0].length });
  return hits.sort((a, b) => a.start - b.start);
}

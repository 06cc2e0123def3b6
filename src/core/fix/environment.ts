import type { FixTarget } from './types';
import type { AppliedFix, FixAllResult } from './python/fixAll';
import type { TextEdit } from '../model';
import { applyEdits } from './edits';

/**
 * Text rewrites for the files around the code: requirements files and shell launchers. Line-based, because these
 * formats are line-based; each change is reported like a Python fix (all of them are unsafe except renaming the
 * device-visibility variable for an explicit target, which is what that target's runtime reads).
 */

/** The variable each runtime reads to select devices (ROCm also honours CUDA_VISIBLE_DEVICES, but HIP's own is explicit). */
export const VISIBLE_DEVICES: Partial<Record<FixTarget, string>> = {
  rocm: 'HIP_VISIBLE_DEVICES',
  npu: 'ASCEND_RT_VISIBLE_DEVICES',
  xpu: 'ZE_AFFINITY_MASK',
};

const WHEEL_INDEX: Partial<Record<FixTarget, string>> = { cpu: 'cpu', xpu: 'xpu', rocm: 'rocm6.2' };
const ORT_PACKAGE: Partial<Record<FixTarget, string>> = {
  auto: 'onnxruntime', cpu: 'onnxruntime', mps: 'onnxruntime', npu: 'onnxruntime-cann', xpu: 'onnxruntime-openvino',
};

export function isRequirementsFile(path: string): boolean {
  return /(^|[\\/])requirements[^\\/]*\.txt$/i.test(path);
}

export function isShellScript(path: string): boolean {
  return /\.(sh|bash)$/i.test(path);
}

interface LineRewrite {
  text: string;
  title: string;
  safe: boolean;
}

function rewriteRequirementLine(line: string, target: FixTarget): LineRewrite | undefined {
  if (target === 'cuda') return undefined;
  const index = /^(\s*--(?:extra-)?index-url\s*=?\s*https?:\/\/download\.pytorch\.org\/whl\/)cu\d+(\/?\s*(?:#.*)?)$/.exec(line);
  if (index) {
    const wheels = WHEEL_INDEX[target];
    if (!wheels) return undefined;
    return { text: `${index[1]}${wheels}${index[2]}`, title: `Install PyTorch wheels for ${target} instead of CUDA`, safe: false };
  }
  // The whole local label goes (`+cu121`, `+cu121.post1`, a malformed `+cu1+cu1`): dropping only `+cuNNN` would leave
  // another one for the next run to drop (not idempotent).
  const local = /^(\s*[A-Za-z0-9_.-]+\s*(?:\[[^\]]*\])?\s*===?\s*[0-9][0-9A-Za-z.]*)\+cu\d+[0-9A-Za-z.+_-]*(.*)$/.exec(line);
  if (local) return { text: local[1]! + local[2]!, title: 'Drop the +cuXXX local version (a CUDA-only wheel)', safe: false };
  const ort = /^(\s*)onnxruntime-gpu\b(.*)$/.exec(line);
  if (ort && ORT_PACKAGE[target]) {
    return { text: `${ort[1]}${ORT_PACKAGE[target]}${ort[2]}`, title: `Use ${ORT_PACKAGE[target]} instead of onnxruntime-gpu`, safe: false };
  }
  return undefined;
}

function rewriteShellLine(line: string, target: FixTarget): LineRewrite | undefined {
  const variable = VISIBLE_DEVICES[target];
  if (!variable || !/\bCUDA_VISIBLE_DEVICES=/.test(line) || line.trimStart().startsWith('#')) return undefined;
  return { text: line.replace(/\bCUDA_VISIBLE_DEVICES=/g, `${variable}=`), title: `Select devices with ${variable}`, safe: true };
}

/** Fixes a requirements file or shell launcher; other files come back unchanged. */
export function fixEnvironmentText(path: string, text: string, options: { target: FixTarget; unsafe?: boolean }): FixAllResult {
  const rewrite = isRequirementsFile(path) ? rewriteRequirementLine : isShellScript(path) ? rewriteShellLine : undefined;
  const applied: AppliedFix[] = [];
  const unsafeSkipped: AppliedFix[] = [];
  const edits: TextEdit[] = [];
  if (!rewrite) return { text, changed: false, edits, applied, unsafeSkipped, conflicts: 0, passes: 0 };
  let lineStart = 0;
  text.split('\n').forEach((line, i) => {
    const start = lineStart;
    lineStart += line.length + 1;
    const body = line.endsWith('\r') ? line.slice(0, -1) : line;
    const change = rewrite(body, options.target);
    if (!change) return;
    if (!change.safe && !options.unsafe) {
      unsafeSkipped.push({ title: change.title, line: i + 1, safe: false });
      return;
    }
    applied.push({ title: change.title, line: i + 1, safe: change.safe });
    edits.push({ start, end: start + body.length, text: change.text });
  });
  const fixed = applyEdits(text, edits);
  return { text: fixed, changed: fixed !== text, edits, applied, unsafeSkipped, conflicts: 0, passes: 1 };
}

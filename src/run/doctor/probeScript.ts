import { ISOLATED } from '../probe';
import { shQuote } from '../ssh/quote';

/** Porta's own Python probe (never workspace code): version, torch and its accelerator, onnxruntime providers. */
const PYTHON_DOCTOR = String.raw`
import json, sys
out = {"python": sys.executable, "version": sys.version.split()[0]}
try:
    import torch
    out["torch"] = torch.__version__
    out["hip"] = getattr(torch.version, "hip", None)
    out["cudaBuild"] = getattr(torch.version, "cuda", None)
    cuda = getattr(torch, "cuda", None)
    out["cuda"] = [cuda.get_device_name(i) for i in range(cuda.device_count())] if cuda and cuda.is_available() else []
    mps = getattr(getattr(torch, "backends", None), "mps", None)
    out["mps"] = bool(mps and mps.is_available())
    xpu = getattr(torch, "xpu", None)
    try:
        out["xpu"] = [xpu.get_device_name(i) for i in range(xpu.device_count())] if xpu and xpu.is_available() else []
    except Exception:
        out["xpu"] = []
except Exception as e:
    out["torchError"] = "%s: %s" % (type(e).__name__, e)
try:
    import onnxruntime
    out["onnxruntime"] = onnxruntime.__version__
    out["providers"] = onnxruntime.get_available_providers()
except Exception as e:
    out["onnxruntimeError"] = "%s: %s" % (type(e).__name__, e)
print("PORTA_DOCTOR " + json.dumps(out))
`;

/** Tools looked up on the target's PATH, with the command that prints their version. */
export const DOCTOR_TOOLS: Record<string, string> = {
  nvcc: 'nvcc --version',
  hipcc: 'hipcc --version',
  sbatch: 'sbatch --version',
  squeue: 'squeue --version',
  scancel: 'scancel --version',
  sinfo: 'sinfo -h -o %P',
};

/**
 * One fixed shell line: each tool between `@@TOOL name` markers (as discover.ts's probe, so splitProbeOutput reads
 * it), then the interpreter with `-I` (isolated) and the probe above. Only `python` comes from the target's config.
 */
export function doctorScript(python: string | undefined): string {
  const tools = Object.entries(DOCTOR_TOOLS).map(([tool, cmd]) =>
    `echo "@@TOOL ${tool}"; if command -v ${tool} >/dev/null 2>&1; then out=$(${cmd} 2>&1); code=$?; printf '%s\\n' "$out" | head -n 20; echo "@@EXIT $code"; else echo "@@MISSING"; fi`);
  const py = python === undefined ? [] : [`echo "@@TOOL python"; ${shQuote(python)} ${ISOLATED.join(' ')} -c ${shQuote(PYTHON_DOCTOR)} 2>&1; echo "@@EXIT $?"`];
  return [...tools, ...py].join('; ');
}

import { splitProbeOutput } from '../discover';
import type { TargetConfig } from '../targets/config';
import type { DoctorCheck } from './report';

interface PythonAnswer {
  python?: string;
  version?: string;
  torch?: string;
  torchError?: string;
  hip?: string | null;
  cudaBuild?: string | null;
  cuda?: string[];
  mps?: boolean;
  xpu?: string[];
  onnxruntime?: string;
  providers?: string[];
  onnxruntimeError?: string;
}

const firstLine = (text: string): string => text.trim().split('\n').find((l) => l.trim())?.trim() ?? '';

/** Where the fix for the interpreter goes: porta.toml for named targets, PORTA_PYTHON for the built-in local one. */
function pythonFix(target: TargetConfig): string {
  return target.source === 'built-in'
    ? 'install Python 3 (Debian: apt install python3), or point PORTA_PYTHON at an interpreter'
    : `install Python 3 there, or set python = "/path/to/python3" under [targets.${target.name}] in porta.toml`;
}

function pythonChecks(target: TargetConfig, text: string | undefined, exit: number | undefined): DoctorCheck[] {
  const name = target.name;
  const line = text?.split('\n').find((l) => l.startsWith('PORTA_DOCTOR '));
  if (!line) {
    const detail = exit === 127 ? `interpreter '${target.python}' not found` : `'${target.python}' did not answer: ${firstLine(text ?? '') || `exit ${exit}`}`;
    return [
      { target: name, check: 'python', status: 'fail', detail, fix: pythonFix(target) },
      { target: name, check: 'pytorch', status: 'skip', detail: 'no Python' },
      { target: name, check: 'accelerator', status: 'skip', detail: 'no Python' },
    ];
  }
  const data = JSON.parse(line.slice('PORTA_DOCTOR '.length)) as PythonAnswer;
  const checks: DoctorCheck[] = [{ target: name, check: 'python', status: 'ok', detail: `Python ${data.version} at ${data.python}` }];
  if (!data.torch) {
    checks.push(
      { target: name, check: 'pytorch', status: 'fail', detail: `torch is not importable by ${data.python} (${data.torchError ?? 'not installed'})`, fix: `Debian: apt install python3-torch; else ${data.python} -m pip install torch` },
      { target: name, check: 'accelerator', status: 'skip', detail: 'no PyTorch' },
    );
  } else {
    const build = data.hip ? `ROCm ${data.hip} build` : data.cudaBuild ? `CUDA ${data.cudaBuild} build` : 'CPU build';
    checks.push({ target: name, check: 'pytorch', status: 'ok', detail: `torch ${data.torch} (${build})` });
    const devices = [
      ...(data.cuda ?? []).map((d) => `${data.hip ? 'rocm' : 'cuda'}: ${d}`),
      ...(data.xpu ?? []).map((d) => `xpu: ${d}`),
      ...(data.mps ? ['mps: Apple GPU'] : []),
    ];
    checks.push(devices.length
      ? { target: name, check: 'accelerator', status: 'ok', detail: devices.join(', ') }
      : {
        target: name, check: 'accelerator', status: 'warn', detail: 'none visible to torch: runs use the CPU',
        fix: data.hip || data.cudaBuild ? 'check the GPU driver (nvidia-smi / rocm-smi) and that the device is visible to this user' : 'install a PyTorch build for the GPU this target has (CUDA or ROCm wheel from pytorch.org), if it has one',
      });
  }
  checks.push(data.onnxruntime
    ? { target: name, check: 'onnxruntime', status: 'ok', detail: `onnxruntime ${data.onnxruntime}: ${(data.providers ?? []).join(', ')}` }
    : target.kind === 'local'
      ? { target: name, check: 'onnxruntime', status: 'ok', detail: 'no Python onnxruntime; porta bench uses the onnxruntime-node bundled with Porta (CPU provider)' }
      : { target: name, check: 'onnxruntime', status: 'warn', detail: `no Python onnxruntime for ${data.python}`, fix: `${data.python} -m pip install onnxruntime (or onnxruntime-gpu), or npm install onnxruntime-node there, to benchmark ONNX models on this target` });
  return checks;
}

function compilerCheck(name: string, tool: 'nvcc' | 'hipcc', part: { text: string; exit?: number; missing: boolean } | undefined): DoctorCheck {
  if (!part || part.missing) {
    return {
      target: name, check: tool, status: 'warn', detail: `${tool} not on PATH`,
      fix: tool === 'nvcc' ? 'only needed to build CUDA extensions: install the CUDA toolkit and add its bin/ to PATH' : 'only needed to build HIP extensions: install ROCm (hip-dev) and add /opt/rocm/bin to PATH',
    };
  }
  // hipcc on an NVIDIA platform prints nvcc's banner after its own: take the tool's own version line.
  const own = tool === 'nvcc' ? /release \d/i : /HIP version/i;
  const version = part.text.split('\n').find((l) => own.test(l))?.trim() ?? firstLine(part.text);
  return part.exit === 0
    ? { target: name, check: tool, status: 'ok', detail: version || `${tool} found` }
    : { target: name, check: tool, status: 'warn', detail: `${tool} found but \`${tool} --version\` failed: ${firstLine(part.text)}`, fix: `reinstall the ${tool === 'nvcc' ? 'CUDA toolkit' : 'ROCm HIP compiler'}` };
}

function slurmCheck(target: TargetConfig, parts: ReturnType<typeof splitProbeOutput>): DoctorCheck {
  const name = target.name;
  const missing = ['sbatch', 'squeue', 'scancel', 'sinfo'].filter((t) => parts.get(t)?.missing !== false);
  const where = target.kind === 'slurm' && target.via ? `on ${target.via.name}` : 'on this machine';
  if (missing.length) {
    return { target: name, check: 'slurm', status: 'fail', detail: `${missing.join(', ')} not on PATH ${where}`, fix: 'install the Slurm client commands (Debian: apt install slurm-client) and set SLURM_CONF, or set ssh = "<login node target>" for this target' };
  }
  const sinfo = parts.get('sinfo');
  if (sinfo?.exit !== 0) return { target: name, check: 'slurm', status: 'fail', detail: `sinfo cannot reach the controller: ${firstLine(sinfo?.text ?? '')}`, fix: 'check SLURM_CONF and that slurmctld is running and reachable' };
  const partitions = (sinfo.text.trim().split('\n').filter(Boolean).join(' ') || 'none');
  const version = firstLine(parts.get('sbatch')?.text ?? '');
  const wanted = target.kind === 'slurm' ? target.partition : undefined;
  if (wanted && !partitions.split(/\s+/).some((p) => p.replace(/\*$/, '') === wanted)) {
    return { target: name, check: 'slurm', status: 'fail', detail: `partition '${wanted}' not among ${partitions}`, fix: `set partition = one of ${partitions.replace(/\*/g, '')} under [targets.${name}] in porta.toml` };
  }
  return { target: name, check: 'slurm', status: 'ok', detail: `${version}; partitions: ${partitions}` };
}

/**
 * Turns the probe's output (doctorScript) into checks. `python` is undefined when the interpreter was not probed
 * (see probeRefusal): then its checks are skipped, with the reason.
 */
export function interpretDoctorProbe(target: TargetConfig, output: string, refusal?: string): DoctorCheck[] {
  const parts = splitProbeOutput(output);
  const py = parts.get('python');
  const checks = refusal
    ? [{ target: target.name, check: 'python', status: 'skip' as const, detail: refusal }]
    : pythonChecks(target, py?.text, py?.exit);
  if (target.kind === 'slurm') checks.push(slurmCheck(target, parts));
  checks.push(compilerCheck(target.name, 'nvcc', parts.get('nvcc')), compilerCheck(target.name, 'hipcc', parts.get('hipcc')));
  return checks;
}

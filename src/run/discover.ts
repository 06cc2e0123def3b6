import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BACKENDS, type Backend } from '../core/targets';
import { execFile, type ExecResult } from './process';
import { ISOLATED, NEUTRAL_CWD, probeRefusal } from './probe';
import { readSmallFile } from '../workspace/smallFile';
import { shQuote } from './ssh/quote';
import type { SshTarget, TargetConfig } from './targets/config';
import { SshAdapter } from './targets/ssh';

export interface BackendDiscovery {
  backend: Backend;
  available: boolean;
  devices: string[];
  /** Which probe said so: nvidia-smi, rocm-smi, npu-smi, xpu-smi, torch. */
  source: string;
  detail?: string;
}

export interface PythonProbe {
  path: string;
  version?: string;
  torch?: string;
  error?: string;
}

export interface Discovery {
  target: string;
  at: string;
  backends: BackendDiscovery[];
  python?: PythonProbe;
  /** Why discovery could not run at all (unreachable host, ...). */
  error?: string;
}

/** Feature-detects every backend through the target's Python; works on torch 1.13 and current torch. */
const PYTHON_PROBE = String.raw`
import json, sys
out = {"python": sys.executable, "version": sys.version.split()[0]}
try:
    import torch
    out["torch"] = torch.__version__
    cuda = getattr(torch, "cuda", None)
    ok = bool(cuda and cuda.is_available())
    out["hip"] = getattr(torch.version, "hip", None)
    out["cuda"] = [cuda.get_device_name(i) for i in range(cuda.device_count())] if ok else []
    mps = getattr(getattr(torch, "backends", None), "mps", None)
    out["mps"] = bool(mps and mps.is_available())
    xpu = getattr(torch, "xpu", None)
    try:
        out["xpu"] = [xpu.get_device_name(i) for i in range(xpu.device_count())] if xpu and xpu.is_available() else []
    except Exception as e:
        out["xpu"] = []
    try:
        import torch_npu
        out["npu"] = [torch.npu.get_device_name(i) for i in range(torch.npu.device_count())] if torch.npu.is_available() else []
    except Exception:
        out["npu"] = []
except Exception as e:
    out["error"] = "%s: %s" % (type(e).__name__, e)
print("PORTA_PROBE " + json.dumps(out))
`;

const TOOLS: Record<string, string> = {
  'nvidia-smi': 'nvidia-smi --query-gpu=name,memory.total --format=csv,noheader',
  'rocm-smi': 'rocm-smi --showproductname',
  'npu-smi': 'npu-smi info',
  'xpu-smi': 'xpu-smi discovery',
};

export function probeScript(python: string): string {
  const tools = Object.entries(TOOLS).map(([tool, cmd]) =>
    `echo "@@TOOL ${tool}"; if command -v ${tool} >/dev/null 2>&1; then ${cmd} 2>&1; echo "@@EXIT $?"; else echo "@@MISSING"; fi`);
  return [...tools, `echo "@@TOOL python"; ${shQuote(python)} ${ISOLATED.join(' ')} -c ${shQuote(PYTHON_PROBE)} 2>&1; echo "@@EXIT $?"`].join('; ');
}

/** Splits probe output into { tool: { text, exit, missing } }. */
export function splitProbeOutput(text: string): Map<string, { text: string; exit?: number; missing: boolean }> {
  const out = new Map<string, { text: string; exit?: number; missing: boolean }>();
  let current: { text: string; exit?: number; missing: boolean } | undefined;
  for (const line of text.split('\n')) {
    const tool = /^@@TOOL (\S+)$/.exec(line);
    if (tool) {
      current = { text: '', missing: false };
      out.set(tool[1], current);
      continue;
    }
    if (!current) continue;
    if (line === '@@MISSING') current.missing = true;
    else if (/^@@EXIT \d+$/.test(line)) current.exit = Number(line.slice(7));
    else current.text += `${line}\n`;
  }
  return out;
}

export function parseNvidiaSmi(text: string): string[] {
  if (/NVIDIA-SMI has failed|No devices were found|couldn't communicate/i.test(text)) return [];
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('@@')).map((l) => l.split(',')[0].trim()).filter(Boolean);
}

/** rocm-smi exits 0 even without a GPU ("Driver not initialized"): only GPU[n] lines count. */
export function parseRocmSmi(text: string): string[] {
  if (/Driver not initialized|not found|No AMD GPUs/i.test(text) && !/GPU\[\d+\]/.test(text)) return [];
  const devices = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^GPU\[(\d+)\]\s*:\s*(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, index, rest] = match;
    const name = /Card (?:series|model|SKU)\s*:\s*(.*)/i.exec(rest)?.[1]?.trim() ?? /Marketing Name\s*:\s*(.*)/i.exec(rest)?.[1]?.trim();
    if (!devices.has(index) || (name && /series/i.test(rest))) devices.set(index, name ?? devices.get(index) ?? `GPU ${index}`);
  }
  return [...devices.values()];
}

/** npu-smi info: table rows like `| 0     910B3   | OK ...`. */
export function parseNpuSmi(text: string): string[] {
  const devices: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^\|\s*(\d+)\s+([A-Za-z0-9]+)\s*\|\s*(OK|Warning|Alarm|Critical)/.exec(line);
    if (match) devices.push(`Ascend ${match[2]}`);
  }
  return devices;
}

export function parseXpuSmi(text: string): string[] {
  const devices: string[] = [];
  for (const line of text.split('\n')) {
    const match = /Device Name:\s*(.+?)\s*\|?\s*$/.exec(line);
    if (match) devices.push(match[1]);
  }
  return devices;
}

interface PythonJson {
  python?: string; version?: string; torch?: string; error?: string; hip?: string | null;
  cuda?: string[]; mps?: boolean; xpu?: string[]; npu?: string[];
}

/** Combines tool and torch evidence into one entry per backend. */
export function interpretProbe(target: string, python: string, output: string): Discovery {
  const parts = splitProbeOutput(output);
  const found = new Map<Backend, BackendDiscovery>(BACKENDS.map((b) => [b, { backend: b, available: false, devices: [], source: 'none' }]));
  const fromTool = (backend: Backend, tool: string, parse: (t: string) => string[]): void => {
    const part = parts.get(tool);
    if (!part || part.missing) return;
    const devices = parse(part.text);
    const entry = found.get(backend) as BackendDiscovery;
    if (devices.length) Object.assign(entry, { available: true, devices, source: tool });
    else entry.detail = `${tool}: ${part.text.trim().split('\n')[0] ?? 'no devices'}`.slice(0, 200);
  };
  fromTool('cuda', 'nvidia-smi', parseNvidiaSmi);
  fromTool('rocm', 'rocm-smi', parseRocmSmi);
  fromTool('npu', 'npu-smi', parseNpuSmi);
  fromTool('xpu', 'xpu-smi', parseXpuSmi);
  const pyPart = parts.get('python');
  const probeLine = pyPart?.text.split('\n').find((l) => l.startsWith('PORTA_PROBE '));
  const pythonInfo: PythonProbe = { path: python };
  if (probeLine) {
    const data = JSON.parse(probeLine.slice('PORTA_PROBE '.length)) as PythonJson;
    Object.assign(pythonInfo, { path: data.python ?? python, version: data.version, torch: data.torch, error: data.error });
    const mark = (backend: Backend, devices: string[]): void => {
      const entry = found.get(backend) as BackendDiscovery;
      if (devices.length === 0) return;
      entry.available = true;
      entry.source = entry.source === 'none' ? 'torch' : `${entry.source}+torch`;
      if (entry.devices.length === 0) entry.devices = devices;
    };
    mark(data.hip ? 'rocm' : 'cuda', data.cuda ?? []);
    mark('xpu', data.xpu ?? []);
    mark('npu', data.npu ?? []);
    if (data.mps) mark('mps', ['Apple GPU']);
    if (data.error) {
      for (const entry of found.values()) if (!entry.available && entry.backend !== 'cpu') entry.detail = entry.detail ?? `torch: ${data.error}`;
    }
  } else {
    pythonInfo.error = pyPart?.exit === 127 ? `interpreter '${python}' not found` : (pyPart?.text.trim().split('\n').slice(-1)[0] ?? 'no answer from the interpreter');
  }
  Object.assign(found.get('cpu') as BackendDiscovery, { available: true, devices: ['cpu'], source: 'always' });
  return { target, at: new Date().toISOString(), backends: [...found.values()], python: pythonInfo };
}

async function runOnTarget(target: TargetConfig, workspaceRoot: string, line: string): Promise<ExecResult> {
  const ssh: SshTarget | undefined = target.kind === 'ssh' ? target : target.kind === 'slurm' ? target.via : undefined;
  if (!ssh) return execFile('/bin/sh', ['-c', line], { cwd: NEUTRAL_CWD });
  const adapter = new SshAdapter(ssh, workspaceRoot);
  await adapter.connect();
  return adapter.shell(line);
}

const MAX_AGE_MS = 24 * 3600 * 1000;

export interface DiscoverOptions {
  refresh?: boolean;
  /**
   * True only inside a run the user started (in a trusted workspace): then an interpreter that lives in the
   * workspace (a venv) may be probed. Listing targets never runs workspace code.
   */
  userStartedRun?: boolean;
}

/**
 * Which accelerators a target has, cached in .porta/discovery/<target>.json (refresh re-probes).
 * On a Slurm target this probes the submit host, which on most clusters is not a compute node.
 */
export async function discoverAccelerators(target: TargetConfig, workspaceRoot: string, opts: DiscoverOptions = {}): Promise<Discovery> {
  const dir = join(workspaceRoot, '.porta', 'discovery');
  const file = join(dir, `${target.name}.json`);
  if (!opts.refresh) {
    try {
      const cached = JSON.parse(await readSmallFile(file)) as Discovery; // a FIFO planted here is no cache
      if (Date.now() - Date.parse(cached.at) < MAX_AGE_MS) return cached;
    } catch {
      /* no cache */
    }
  }
  const local = target.kind === 'local' || (target.kind === 'slurm' && !target.via);
  const refusal = local && !opts.userStartedRun ? probeRefusal(target.python, workspaceRoot) : undefined;
  if (refusal) return { target: target.name, at: new Date().toISOString(), backends: [], error: refusal };
  let discovery: Discovery;
  try {
    const result = await runOnTarget(target, workspaceRoot, probeScript(target.python));
    discovery = interpretProbe(target.name, target.python, result.stdout);
  } catch (error) {
    discovery = { target: target.name, at: new Date().toISOString(), backends: [], error: error instanceof Error ? error.message : String(error) };
    return discovery; // failures are not cached: the next call tries again
  }
  await mkdir(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(discovery, null, 2));
  await rename(temp, file);
  return discovery;
}

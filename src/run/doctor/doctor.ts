import { mapWithConcurrency } from '../concurrency';
import { execFile } from '../process';
import { NEUTRAL_CWD, probeRefusal } from '../probe';
import { findTarget, loadTargets, type SshTarget, type TargetConfig } from '../targets/config';
import { SshAdapter } from '../targets/ssh';
import { interpretDoctorProbe } from './interpret';
import { doctorScript } from './probeScript';
import { doctorReport, type DoctorCheck, type DoctorReport } from './report';

export interface DoctorOptions {
  /** Check these instead of `local` and the targets of porta.toml. */
  targets?: TargetConfig[];
  /** Environment of the local probe (tests point PATH at stubs). Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Upper bound of ssh's ConnectTimeout, in seconds (default 5): doctor must not hang on a dead host. */
  connectTimeout?: number;
  signal?: AbortSignal;
}

/** `local` plus the targets porta.toml defines (the ~/.ssh/config aliases are not checked unless asked for by name). */
export async function doctorTargets(workspaceRoot: string, names?: readonly string[]): Promise<TargetConfig[]> {
  const all = await loadTargets(workspaceRoot);
  if (names?.length) return names.map((n) => findTarget(all, n)); // throws TargetError naming an unknown one
  return all.filter((t) => t.source === 'built-in' || t.source.endsWith('porta.toml'));
}

/** The ssh connection checks; resolves to the adapter when connected, else undefined (the checks say why). */
async function connect(target: TargetConfig, ssh: SshTarget, workspaceRoot: string, timeout: number, checks: DoctorCheck[]): Promise<SshAdapter | undefined> {
  // BatchMode (no prompts) comes with sshOptions; the timeout is capped so a dead host answers within seconds.
  const adapter = new SshAdapter({ ...ssh, connectTimeout: Math.min(ssh.connectTimeout, timeout) }, workspaceRoot);
  const via = target === ssh ? '' : ` (through ${ssh.name})`;
  try {
    await adapter.connect();
    checks.push(
      { target: target.name, check: 'ssh', status: 'ok', detail: `connected to ${adapter.destination}${via} without prompts (BatchMode)` },
      { target: target.name, check: 'ssh host key', status: 'ok', detail: `known and matching (StrictHostKeyChecking ${ssh.hostKeyPolicy})` },
    );
    return adapter;
  } catch (error) {
    const message = (error as Error).message;
    if (/host key/i.test(message)) {
      checks.push(
        { target: target.name, check: 'ssh', status: 'ok', detail: `${adapter.destination}${via} answers` },
        { target: target.name, check: 'ssh host key', status: 'fail', detail: message, fix: `connect once by hand (ssh ${ssh.host}) and check the fingerprint with the host's admin, or set host_key_policy = "accept-new" under [targets.${ssh.name}]` },
      );
    } else {
      const fix = /authentication/i.test(message)
        ? 'add your public key to the host\'s ~/.ssh/authorized_keys, or set identity_file; Porta never types passwords'
        : `check host, port and network; try ssh -o BatchMode=yes ${ssh.host} true`;
      checks.push(
        { target: target.name, check: 'ssh', status: 'fail', detail: message, fix },
        { target: target.name, check: 'ssh host key', status: 'skip', detail: 'not connected' },
      );
    }
    return undefined;
  }
}

/** Every check of one target. Never throws: a failure to check is a failed check. */
export async function checkTarget(target: TargetConfig, workspaceRoot: string, options: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const ssh = target.kind === 'ssh' ? target : target.kind === 'slurm' ? target.via : undefined;
  // Same rule as discovery: an interpreter inside the workspace is the workspace's code, never run by a check.
  const refusal = ssh ? undefined : probeRefusal(target.python, workspaceRoot);
  const script = doctorScript(refusal ? undefined : target.python);
  const signal = options.signal ?? AbortSignal.timeout(120_000);
  let output: string;
  if (ssh) {
    const adapter = await connect(target, ssh, workspaceRoot, options.connectTimeout ?? 5, checks);
    if (!adapter) return checks;
    const result = await adapter.shell(script, { signal });
    if (result.code === 255) {
      checks.push({ target: target.name, check: 'ssh', status: 'fail', detail: `the connection dropped during the checks: ${result.stderr.trim().split('\n').pop()}`, fix: 'run porta doctor again' });
      return checks;
    }
    output = result.stdout;
  } else {
    const result = await execFile('/bin/sh', ['-c', script], { cwd: NEUTRAL_CWD, env: options.env ?? process.env, signal });
    output = result.stdout;
  }
  return [...checks, ...interpretDoctorProbe(target, output, refusal)];
}

/** Checks every target, at most 4 at once, in the targets' order. */
export async function runDoctor(workspaceRoot: string, options: DoctorOptions = {}): Promise<DoctorReport> {
  const targets = options.targets ?? (await doctorTargets(workspaceRoot));
  const perTarget = await mapWithConcurrency(targets, 4, (t) => checkTarget(t, workspaceRoot, options));
  return doctorReport(perTarget.flat());
}

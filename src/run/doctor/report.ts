/** `porta doctor`'s result: one check per line, each problem with its fix. Stable: the walkthrough shows --json. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface DoctorCheck {
  target: string;
  /** python | pytorch | accelerator | onnxruntime | ssh | ssh host key | slurm | nvcc | hipcc */
  check: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a `warn` or `fail`. */
  fix?: string;
}

export interface DoctorReport {
  version: 1;
  checks: DoctorCheck[];
  /** No check failed (warnings allowed). */
  ok: boolean;
}

export function doctorReport(checks: DoctorCheck[]): DoctorReport {
  return { version: 1, checks, ok: checks.every((c) => c.status !== 'fail') };
}

const MARK: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

/** One line per check: `ok   local  python       Python 3.11.2 at /usr/bin/python3`, problems followed by `— fix: ...`. */
export function formatDoctorReport(report: DoctorReport): string {
  const tw = Math.max(0, ...report.checks.map((c) => c.target.length));
  const cw = Math.max(0, ...report.checks.map((c) => c.check.length));
  const lines = report.checks.map((c) => `${MARK[c.status]} ${c.target.padEnd(tw)}  ${c.check.padEnd(cw)}  ${c.detail}${c.fix ? ` — fix: ${c.fix}` : ''}`);
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const warned = report.checks.filter((c) => c.status === 'warn').length;
  lines.push(failed ? `${failed} check${failed > 1 ? 's' : ''} failed${warned ? `, ${warned} warning${warned > 1 ? 's' : ''}` : ''}` : `all checks passed${warned ? ` (${warned} warning${warned > 1 ? 's' : ''})` : ''}`);
  return `${lines.join('\n')}\n`;
}

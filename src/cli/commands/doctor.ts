import { UsageError, type Command, parseCommandLine } from '../command';
import { doctorTargets, runDoctor } from '../../run/doctor/doctor';
import { formatDoctorReport } from '../../run/doctor/report';
import { TargetError } from '../../run/targets/config';

const USAGE = `Usage: porta doctor [--json] [TARGET...]

Checks each target (\`local\` and those in porta.toml, or the ones named) and prints one line per check, with a fix
for each problem: Python, its PyTorch version and accelerator, ONNX Runtime providers, ssh reachability and host
key (no prompts, 5 s connect timeout), Slurm commands and controller, nvcc and hipcc.
Only Porta's own probe runs (the target's interpreter with -I, in /); an interpreter inside the workspace is not run.

Options:
  --json   print { version, checks: [{ target, check, status: ok|warn|fail|skip, detail, fix? }], ok }

Exit codes: 0 no check failed (warnings allowed), 1 a check failed, 2 usage error.`;

export const command: Command = {
  name: 'doctor',
  summary: 'Check each target: Python, PyTorch, accelerator, ONNX Runtime, ssh, Slurm, nvcc/hipcc',
  usage: USAGE,
  async run(argv, io) {
    const parsed = parseCommandLine({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
    let targets;
    try {
      targets = await doctorTargets(io.cwd, parsed.positionals);
    } catch (error) {
      if (error instanceof TargetError) throw new UsageError(error.message);
      throw error;
    }
    const report = await runDoctor(io.cwd, { targets, env: io.env });
    io.stdout.write(parsed.values.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
    return report.ok ? 0 : 1;
  },
};

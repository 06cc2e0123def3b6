import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError, type CliIO, type Command, parseCommandLine } from '../command';
import { ConfigError, type PortaConfig } from '../../core/config';
import { BACKENDS, isBackend, type Backend } from '../../core/targets';
import { formatReport, REPORT_FORMATS, type ReportFormat } from '../../core/report';
import { FAIL_ON, failsGate, type FailOn } from '../../core/report/gate';
import { isKnownRulePattern } from '../../core/rules';
import { printable } from '../../core/printable';
import { loadConfig } from '../../workspace/config';
import { MAX_WORKERS, scanWorkspace } from '../../workspace/scan';

const usage = `Usage: porta scan [PATH...] [options]

Finds CUDA lock-in in Python, notebooks, requirements, Dockerfiles, shell scripts and CUDA C++.

Options:
  --format text|json|sarif|markdown   output format (default text)
  --target T        backend of interest, repeatable or comma-separated (${BACKENDS.join(', ')}); default all
  --select RULE     report only these rules or prefixes (e.g. PT-DEV, ENV-001); repeatable
  --ignore RULE     do not report these rules or prefixes; repeatable
  --config FILE     configuration file (default: porta.toml, else [tool.porta] in pyproject.toml)
  --workers N       analysis threads (default: cores - 1)
  --no-color        never colour the text output
  --fail-on V       exit 1 only for a finding that is V or worse on a target of interest (any, shim, degraded,
                    breaks; default any). Guarded findings (code that only runs with CUDA) never fail a verdict gate

Exit codes: 0 nothing found (or nothing over --fail-on), 1 findings, 2 usage or internal error.`;

function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export const command: Command = {
  name: 'scan',
  summary: 'Find CUDA lock-in and report per-target readiness',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f' },
        target: { type: 'string', short: 't', multiple: true },
        select: { type: 'string', multiple: true },
        ignore: { type: 'string', multiple: true },
        config: { type: 'string', short: 'c' },
        workers: { type: 'string' },
        'no-color': { type: 'boolean' },
        'fail-on': { type: 'string' },
      },
    });
    const { values, positionals } = parsed;
    const format = (values.format ?? 'text') as ReportFormat;
    if (!REPORT_FORMATS.includes(format)) throw new UsageError(`unknown format '${values.format}' (expected ${REPORT_FORMATS.join(', ')})`);
    const failOn = (values['fail-on'] ?? 'any') as FailOn;
    if (!FAIL_ON.includes(failOn)) throw new UsageError(`unknown --fail-on '${values['fail-on']}' (expected ${FAIL_ON.join(', ')})`);
    const targets = list(values.target);
    for (const t of targets) if (!isBackend(t)) throw new UsageError(`unknown target '${t}' (expected ${BACKENDS.join(', ')})`);
    const select = list(values.select);
    const ignore = list(values.ignore);
    for (const id of [...select, ...ignore]) {
      if (!isKnownRulePattern(id)) throw new UsageError(`unknown rule or prefix '${id}'`);
    }
    let workers: number | undefined;
    if (values.workers !== undefined) {
      workers = Number(values.workers);
      if (!Number.isInteger(workers) || workers < 0) throw new UsageError(`--workers expects a whole number, got '${values.workers}'`);
      if (workers > MAX_WORKERS) throw new UsageError(`--workers ${workers} is more than ${MAX_WORKERS} (each thread loads its own parsers)`);
    }
    const overrides: PortaConfig = {};
    if (targets.length) overrides.targets = targets as Backend[];
    if (select.length) overrides.select = select;
    if (ignore.length) overrides.ignore = ignore;

    let loaded;
    try {
      loaded = await loadConfig(io.cwd, values.config, overrides);
    } catch (error) {
      if (error instanceof ConfigError) {
        io.stderr.write(`porta scan: invalid configuration: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    const roots = positionals.length ? positionals : ['.'];
    const missing = roots.filter((root) => !fs.existsSync(path.resolve(io.cwd, root)));
    if (missing.length > 0) {
      io.stderr.write(`porta scan: no such file or directory: ${missing.join(', ')}\n`);
      return 2;
    }
    const showProgress = !!io.stderr.isTTY;
    let lastDraw = 0;
    const scan = await scanWorkspace(roots, {
      cwd: io.cwd,
      config: loaded.config,
      workers,
      onProgress: showProgress
        ? (p) => {
            const now = Date.now();
            if (now - lastDraw < 100) return;
            lastDraw = now;
            io.stderr.write(`\r\x1b[2Kscanning: ${p.filesSeen} files, ${p.findings} findings${p.currentPath ? `  ${printable(p.currentPath.slice(-50))}` : ''}`);
          }
        : undefined,
    });
    if (showProgress) io.stderr.write('\r\x1b[2K');
    const color = format === 'text' && !!io.stdout.isTTY && !values['no-color'] && io.env.NO_COLOR === undefined;
    io.stdout.write(formatReport(scan, format, { color, targets: loaded.config.targets, version: io.env.PORTA_VERSION ?? 'dev' }));
    return failsGate(scan.findings, failOn, loaded.config.targets) ? 1 : 0;
  },
};

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { parseSshConfigHosts, parseSshG } from '../../../src/run/ssh/config-file';
import { remoteRelative, rsyncEQuote, shJoin, shQuote } from '../../../src/run/ssh/quote';
import { parseTargetsToml, TargetError } from '../../../src/run/targets/config';
import { interpretProbe, parseNvidiaSmi, parseNpuSmi, parseRocmSmi, parseXpuSmi, probeScript } from '../../../src/run/discover';
import { applyMetric, applyResult, LineSplitter, parseMetricLine, parseResultLine } from '../../../src/run/metrics';
import { canTransition, isRunId, newRunId } from '../../../src/run/history';
import { parseSlurmExitCode, parseScontrolField } from '../../../src/run/targets/slurm';
import { HOSTILE_ARGS, hostileWorkspace, writeScript } from './helpers';
import { gitignoreExcludes } from '../../../src/run/gitignore';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RunMetrics } from '../../../src/run/record';

describe('run building blocks', () => {
  it('shQuote survives a real POSIX shell for hostile words (sh and bash)', () => {
    const words = [...HOSTILE_ARGS, '', "'", "''", '\\', '$HOME', '~', '-n', 'ünï cødé', 'tab\there'];
    for (const shell of ['/bin/sh', '/bin/bash']) {
      const out = execFileSync(shell, ['-c', `printf '%s\\0' ${shJoin(words)}`], { encoding: 'utf8' });
      assert.deepEqual(out.split('\0').slice(0, -1), words, shell);
    }
    assert.equal(shQuote('plain/path-1.py'), 'plain/path-1.py');
  });

  it('remote paths: ~/ becomes home-relative, other users are refused', () => {
    assert.equal(remoteRelative('~/porta-runs'), 'porta-runs');
    assert.equal(remoteRelative('~'), '.');
    assert.equal(remoteRelative('/abs/dir'), '/abs/dir');
    assert.throws(() => remoteRelative('~bob/x'), /only ~\//);
    assert.equal(rsyncEQuote("it's"), `"it's"`);
    assert.throws(() => rsyncEQuote(`'"`), /both quote kinds/);
  });

  it('parses porta.toml targets, resolving a Slurm target through an ssh target', () => {
    const targets = parseTargetsToml([
      '[targets.lab]', 'kind = "ssh"', 'host = "gpu-box"', 'port = 2200', 'user = "me"', 'python = "/usr/bin/python3"', 'workdir = "~/runs"',
      '[targets.cluster]', 'kind = "slurm"', 'ssh = "lab"', 'partition = "debug"', 'sbatch_args = ["--time=00:10:00"]',
    ].join('\n'), 'porta.toml');
    assert.equal(targets.length, 2);
    const [lab, cluster] = targets;
    assert.equal(lab.kind, 'ssh');
    assert.equal(lab.kind === 'ssh' && lab.hostKeyPolicy, 'yes');
    assert.equal(cluster.kind === 'slurm' && cluster.via?.host, 'gpu-box');
    assert.equal(cluster.python, '/usr/bin/python3', 'a slurm target inherits the interpreter of its ssh target');
    const [plain] = parseTargetsToml('[targets.p]\nkind = "ssh"\nhost = "h"', 'porta.toml');
    assert.equal(plain.python, 'python3', 'default interpreter is python3, not an absolute path');
  });

  it('names the offending key in configuration errors', () => {
    const cases: Array<[string, RegExp]> = [
      ['[targets.a]\nkind = "ftp"', /targets\.a\.kind must be/],
      ['[targets.a]\nkind = "ssh"', /targets\.a\.host is required/],
      ['[targets.a]\nkind = "ssh"\nhost = "h"\nport = 70000', /targets\.a\.port must be an integer/],
      ['[targets.a]\nkind = "ssh"\nhost = "h"\nhost_key_policy = "no"', /targets\.a\.host_key_policy/],
      ['[targets.a]\nkind = "slurm"\npartiton = "x"', /targets\.a\.partiton is not a known key/],
      ['[targets.a]\nkind = "slurm"\nssh = "missing"', /targets\.a\.ssh names 'missing'/],
      ['[targets.a]\nkind = "ssh"\nhost = "-oProxyCommand=x"', /not a valid host name/],
      ['[targets.a]\nkind = "ssh"\nhost = "h"\nssh_options = ["ProxyCommand=sh"]', /not allowed/],
      ['[targets."x y"]\nkind = "local"', /target name/],
      ['[targets.a\nkind = 1', /porta\.toml/],
    ];
    for (const [text, message] of cases) assert.throws(() => parseTargetsToml(text, 'porta.toml'), (e: unknown) => e instanceof TargetError && message.test(e.message), text);
  });

  it('reads concrete Host aliases from an ssh config and ssh -G output', () => {
    assert.deepEqual(parseSshConfigHosts('Host gpu-box lab\n  HostName 10.0.0.1\nHost *.corp !bad\nhost=other\n# Host commented\n'), ['gpu-box', 'lab', 'other']);
    assert.equal(parseSshG('hostname 10.0.0.1\nport 22\nuser me\n').get('port'), '22');
  });

  it('parses accelerator tools by their output, not their exit code', () => {
    assert.deepEqual(parseNvidiaSmi('NVIDIA H200, 143771 MiB\nNVIDIA H200, 143771 MiB\n'), ['NVIDIA H200', 'NVIDIA H200']);
    assert.deepEqual(parseNvidiaSmi('NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver.\n'), []);
    assert.deepEqual(parseRocmSmi('ERROR:root:Driver not initialized (amdgpu not found in modules)\n'), []);
    assert.deepEqual(parseRocmSmi('GPU[0]\t\t: Card series: \t\tAMD Instinct MI210\nGPU[0]\t\t: Card model: \t\t0x0c34\nGPU[1]\t\t: Card series: \t\tAMD Instinct MI210\n'), ['AMD Instinct MI210', 'AMD Instinct MI210']);
    assert.deepEqual(parseNpuSmi('| 0     910B3               | OK            | 93.4        40                0    / 0             |\n'), ['Ascend 910B3']);
    assert.deepEqual(parseXpuSmi('| 0         | Device Name: Intel(R) Data Center GPU Max 1550                                   |\n'), ['Intel(R) Data Center GPU Max 1550']);
  });

  it('probes this machine through /usr/bin/python3 (torch 1.13, CPU only) and the real rocm-smi', () => {
    const output = execFileSync('/bin/sh', ['-c', probeScript('/usr/bin/python3')], { encoding: 'utf8' });
    const discovery = interpretProbe('local', '/usr/bin/python3', output);
    assert.match(discovery.python?.torch ?? '', /^1\.13|^2\./);
    const available = discovery.backends.filter((b) => b.available).map((b) => b.backend);
    assert.deepEqual(available, ['cpu']);
    const missing = interpretProbe('x', '/nope/python', execFileSync('/bin/sh', ['-c', probeScript('/nope/python')], { encoding: 'utf8' }));
    assert.match(missing.python?.error ?? '', /not found/);
  });

  it('parses metric lines and fills well-known fields', () => {
    const metrics: RunMetrics = {};
    for (const line of ['PORTA_METRIC {"name": "wall_ms", "value": 12.5}', 'PORTA_METRIC {"name": "acc", "value": 0.9}', 'PORTA_METRIC {broken', 'PORTA_METRIC {"name": "x", "value": "NaN"}']) {
      const metric = parseMetricLine(line);
      if (metric) applyMetric(metrics, metric);
    }
    assert.deepEqual(metrics, { wallMs: 12.5, custom: { acc: 0.9 } });
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push('a\nb'), ['a']);
    assert.deepEqual(splitter.push('c\n'), ['bc']);
  });

  it('reads a script\'s RESULT line: numbers as metrics, other values as comparable outputs', () => {
    const metrics: RunMetrics = {};
    for (const line of ['RESULT loss=0.000007 acc=1.0000 checksum=282.188910', 'RESULT top1=3,1,4 label=cat', 'RESULTS are in', 'RESULT', 'result loss=1']) {
      const result = parseResultLine(line);
      if (result) applyResult(metrics, result);
    }
    assert.deepEqual(metrics.custom, { loss: 0.000007, acc: 1, checksum: 282.18891 });
    assert.deepEqual(metrics.outputs, [
      { name: 'top1', shape: [3], checksum: '3,1,4', head: [3, 1, 4] },
      { name: 'label', shape: [], checksum: 'cat' },
    ]);
  });

  it('turns .gitignore files (nested, negated) into exact anchored excludes', async () => {
    const root = hostileWorkspace();
    try {
      writeScript(root, '.gitignore', '*.bin\n!keep.bin\ndata/\n');
      writeScript(root, 'a.bin', 'x');
      writeScript(root, 'keep.bin', 'x');
      writeScript(root, 'data/big.csv', 'x');
      writeScript(root, "sub dir/.gitignore", 'local-*.txt\n');
      writeScript(root, "sub dir/local-1.txt", 'x');
      writeScript(root, "sub dir/kept.txt", 'x');
      writeScript(root, 'other/local-2.txt', 'x');
      writeScript(root, "weird *[name].bin", 'x');
      writeScript(root, 'extra.log', 'x');
      const excludes = (await gitignoreExcludes(root, ['*.log'])).sort();
      assert.deepEqual(excludes, ['/a.bin', '/data/', '/extra.log', '/sub dir/local-1.txt', '/weird *[name].bin']);
    } finally {
      rmSync(join(root, '..'), { recursive: true, force: true });
    }
  });

  it('run ids, status transitions and Slurm exit codes', () => {
    assert.ok(isRunId(newRunId()));
    assert.ok(!isRunId('../../etc/passwd'));
    assert.ok(canTransition('queued', 'running') && canTransition('running', 'lost') && !canTransition('succeeded', 'running') && !canTransition('running', 'queued'));
    assert.equal(parseSlurmExitCode('ExitCode=2:0'), 2);
    assert.equal(parseSlurmExitCode('0:15'), 143);
    assert.equal(parseScontrolField('JobId=5 JobName=x\n   JobState=COMPLETED Reason=None', 'JobState'), 'COMPLETED');
  });
});

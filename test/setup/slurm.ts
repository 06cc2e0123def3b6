import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, stopPid, waitFor } from './ports';

/** A one-node Slurm cluster (munged + slurmctld + slurmd) under a temp folder, on free ports. No accounting (no sacct). */
export interface TestSlurm {
  dir: string;
  conf: string;
  /** Environment for Slurm client commands (SLURM_CONF). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export function slurmInstalled(): boolean {
  return existsSync('/usr/sbin/slurmctld') && existsSync('/usr/sbin/slurmd') && existsSync('/usr/sbin/munged');
}

export async function startSlurm(): Promise<TestSlurm> {
  const dir = mkdtempSync(join(tmpdir(), 'porta-slurm-'));
  for (const sub of ['state', 'spool', 'log', 'munge']) mkdirSync(join(dir, sub));
  chmodSync(join(dir, 'munge'), 0o700);
  const host = hostname().split('.')[0];
  const keyFile = join(dir, 'munge', 'munge.key');
  writeFileSync(keyFile, randomBytes(1024), { mode: 0o600 });
  const socket = join(dir, 'munge', 'munge.socket');
  const mungePidFile = join(dir, 'munge', 'munged.pid');
  execFileSync('/usr/sbin/munged', ['--force', `--key-file=${keyFile}`, `--socket=${socket}`, `--pid-file=${mungePidFile}`,
    `--log-file=${join(dir, 'log', 'munged.log')}`, `--seed-file=${join(dir, 'munge', 'munged.seed')}`]);
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'slurm.conf');
  const cpus = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || 1;
  writeFileSync(conf, [
    'ClusterName=portatest', `SlurmctldHost=${host}(127.0.0.1)`, `SlurmctldPort=${ctldPort}`, `SlurmdPort=${dPort}`,
    'SlurmUser=root', 'SlurmdUser=root', 'AuthType=auth/munge', 'CredType=cred/munge', `AuthInfo=socket=${socket}`,
    `StateSaveLocation=${join(dir, 'state')}`, `SlurmdSpoolDir=${join(dir, 'spool')}`,
    `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`, `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
    `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`, `SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}`,
    'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none', 'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none', 'SchedulerType=sched/backfill', 'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core', 'ReturnToService=2', 'MpiDefault=none', 'SlurmctldTimeout=30', 'SlurmdTimeout=30',
    'InactiveLimit=0', 'MinJobAge=300', 'KillWait=2',
    `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=1024 State=UNKNOWN`,
    `PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP`, '',
  ].join('\n'));
  const env = { ...process.env, SLURM_CONF: conf };
  const daemons: number[] = [];
  for (const daemon of ['slurmctld', 'slurmd']) {
    const log = openSync(join(dir, 'log', `${daemon}.stdout`), 'a');
    const child = spawn(`/usr/sbin/${daemon}`, ['-D'], { env, stdio: ['ignore', log, log] });
    closeSync(log);
    if (child.pid) daemons.push(child.pid);
  }
  const stop = async (): Promise<void> => {
    for (const pid of [...daemons].reverse()) await stopPid(pid);
    if (existsSync(mungePidFile)) await stopPid(Number(readFileSync(mungePidFile, 'utf8').trim()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(() => {
      try {
        return /idle/.test(execFileSync('sinfo', ['-h', '-o', '%T'], { env, encoding: 'utf8' }));
      } catch {
        return false;
      }
    }, 30000, 'the Slurm node to become idle');
  } catch (error) {
    await stop();
    throw error;
  }
  return { dir, conf, env, stop };
}

import { homedir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { checkSshOption } from '../ssh/allowed';
import { parseSshConfigHosts } from '../ssh/config-file';
import { readSmallFile, SmallFileError } from '../../workspace/smallFile';
import { defaultLocalPython } from './localPython';
import { readPrice, type TargetPrice } from './price';

/** Where code runs. Each kind has one adapter (targets/adapter.ts); kubectl or SkyPilot can join as further kinds. */
interface TargetBase {
  name: string;
  /** Interpreter on the target. `python3` by default: an absolute path is not portable between hosts. */
  python: string;
  env: Record<string, string>;
  /** Where the definition came from, for messages. */
  source: string;
  /** What an hour (or a Slurm allocation) costs; absent = no price, which is not free. */
  price?: TargetPrice;
}

export interface LocalTarget extends TargetBase {
  kind: 'local';
  /** porta.toml names no interpreter: loadTargets picks one as for the built-in `local` (the first that has torch). */
  pythonUnset?: true;
}

export interface SshTarget extends TargetBase {
  kind: 'ssh';
  /** A host name or an ssh_config alias. */
  host: string;
  port?: number;
  user?: string;
  identityFile?: string;
  /** `yes` (default): unknown or changed host keys are refused. `accept-new`: first contact records the key. */
  hostKeyPolicy: 'yes' | 'accept-new';
  /** An ssh_config file passed with -F (tests use a throwaway one; default: the user's own). */
  sshConfig?: string;
  /** True when porta.toml named sshConfig: ssh then reads a checked copy (ssh/workspace-config.ts). */
  sshConfigFromWorkspace?: boolean;
  knownHosts?: string;
  sshOptions: string[];
  connectTimeout: number;
  controlPersist: string;
  /** Remote folder under which workspaces are synced (`~/` = the remote home). */
  workdir: string;
  excludes: string[];
}

export interface SlurmTarget extends TargetBase {
  kind: 'slurm';
  /** The SSH target that submits jobs; undefined = local Slurm commands on a shared file system. */
  via?: SshTarget;
  partition?: string;
  sbatchArgs: string[];
  pollMs: number;
  workdir: string;
  excludes: string[];
}

export type TargetConfig = LocalTarget | SshTarget | SlurmTarget;

export class TargetError extends Error {}

export const LOCAL_TARGET: LocalTarget = { name: 'local', kind: 'local', python: 'python3', env: {}, source: 'built-in' };

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Reads typed keys of one [targets.NAME] table; every error names the full key. */
class KeyReader {
  private readonly used = new Set<string>();
  constructor(private readonly table: Table, private readonly prefix: string, private readonly source: string) {}

  fail(key: string, what: string): never {
    throw new TargetError(`${this.source}: ${this.prefix}.${key} ${what}`);
  }
  string(key: string): string | undefined {
    this.used.add(key);
    const value = this.table[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') this.fail(key, `must be a non-empty string (got ${JSON.stringify(value)})`);
    if (value.includes('\0')) this.fail(key, 'must not contain NUL characters');
    return value;
  }
  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined) this.fail(key, 'is required');
    return value;
  }
  int(key: string, min: number, max: number): number | undefined {
    this.used.add(key);
    const value = this.table[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(key, `must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
    }
    return value;
  }
  /** A price: a finite, non-negative number (TOML integer or float, not a string). */
  price(key: string): number | undefined {
    this.used.add(key);
    const value = this.table[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      this.fail(key, `must be a non-negative number such as 2.5 (got ${typeof value === 'number' ? String(value) : JSON.stringify(value)})`);
    }
    return value;
  }
  strings(key: string): string[] {
    this.used.add(key);
    const value = this.table[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) this.fail(key, 'must be an array of strings');
    return value as string[];
  }
  stringTable(key: string): Record<string, string> {
    this.used.add(key);
    const value = this.table[key];
    if (value === undefined) return {};
    if (!isTable(value)) this.fail(key, 'must be a table of strings');
    const out: Record<string, string> = {};
    for (const [name, item] of Object.entries(value)) {
      if (typeof item !== 'string') this.fail(`${key}.${name}`, 'must be a string');
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) this.fail(`${key}.${name}`, 'is not a valid environment variable name');
      out[name] = item;
    }
    return out;
  }
  /** Unknown keys are errors: a typo (`partiton`) must not be silently ignored. */
  rejectUnknown(): void {
    for (const key of Object.keys(this.table)) if (!this.used.has(key)) this.fail(key, 'is not a known key');
  }
}

function expandHome(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  if (path === '~') return homedir();
  return path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}

function readSsh(name: string, reader: KeyReader, base: TargetBase, key = (k: string) => k): SshTarget {
  const host = reader.requiredString(key('host'));
  if (host.startsWith('-') || /\s/.test(host)) throw new TargetError(`${base.source}: targets.${name}.host is not a valid host name: ${JSON.stringify(host)}`);
  const policy = reader.string('host_key_policy') ?? 'yes';
  if (policy !== 'yes' && policy !== 'accept-new') {
    throw new TargetError(`${base.source}: targets.${name}.host_key_policy must be "yes" or "accept-new" (got ${JSON.stringify(policy)})`);
  }
  const sshOptions = reader.strings('ssh_options');
  for (const option of sshOptions) {
    try {
      checkSshOption(option, `${base.source}: targets.${name}.ssh_options`);
    } catch (error) {
      throw new TargetError((error as Error).message);
    }
  }
  const sshConfig = reader.string('ssh_config');
  return {
    ...base,
    kind: 'ssh',
    host,
    port: reader.int('port', 1, 65535),
    user: reader.string('user'),
    identityFile: expandHome(reader.string('identity_file')),
    hostKeyPolicy: policy,
    // Relative to porta.toml, not to wherever porta was started.
    sshConfig: sshConfig === undefined ? undefined : resolvePath(dirname(base.source), expandHome(sshConfig) as string),
    sshConfigFromWorkspace: sshConfig !== undefined || undefined,
    knownHosts: expandHome(reader.string('known_hosts')),
    sshOptions,
    connectTimeout: reader.int('connect_timeout', 1, 600) ?? 10,
    controlPersist: String(reader.int('control_persist', 0, 86400) ?? 600),
    workdir: reader.string('workdir') ?? '~/porta-runs',
    excludes: reader.strings('excludes'),
  };
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Parses the `[targets.*]` tables of a porta.toml text. Errors name the file and the key. */
export function parseTargetsToml(text: string, source: string): TargetConfig[] {
  let doc: Table;
  try {
    doc = parseToml(text) as Table;
  } catch (error) {
    throw new TargetError(`${source}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const tables = doc.targets;
  if (tables === undefined) return [];
  if (!isTable(tables)) throw new TargetError(`${source}: targets must be a table of [targets.NAME] sections`);
  const raw = new Map<string, Table>();
  for (const [name, table] of Object.entries(tables)) {
    if (!NAME.test(name)) throw new TargetError(`${source}: targets.${JSON.stringify(name)}: a target name uses letters, digits, '_', '.', '-'`);
    if (!isTable(table)) throw new TargetError(`${source}: targets.${name} must be a table`);
    raw.set(name, table);
  }
  const result = new Map<string, TargetConfig>();
  const resolve = (name: string, chain: string[]): TargetConfig => {
    const done = result.get(name);
    if (done) return done;
    const table = raw.get(name);
    if (!table) throw new TargetError(`${source}: no target named '${name}'`);
    const reader = new KeyReader(table, `targets.${name}`, source);
    const kind = reader.requiredString('kind');
    const base: TargetBase = { name, python: reader.string('python') ?? 'python3', env: reader.stringTable('env'), source };
    const price = readPrice(reader, typeof table.kind === 'string' ? table.kind : '');
    if (price) base.price = price;
    let target: TargetConfig;
    if (kind === 'local') {
      target = table.python === undefined ? { ...base, kind: 'local', pythonUnset: true } : { ...base, kind: 'local' };
    } else if (kind === 'ssh') {
      target = readSsh(name, reader, base);
    } else if (kind === 'slurm') {
      const via = reader.string('ssh');
      let viaTarget: SshTarget | undefined;
      if (via !== undefined) {
        if (chain.includes(via)) throw new TargetError(`${source}: targets.${name}.ssh: circular reference through '${via}'`);
        if (!raw.has(via)) throw new TargetError(`${source}: targets.${name}.ssh names '${via}', which is not a [targets.${via}] section`);
        const sshTarget = resolve(via, [...chain, name]);
        if (sshTarget.kind !== 'ssh') throw new TargetError(`${source}: targets.${name}.ssh must name an ssh target ('${via}' is ${sshTarget.kind})`);
        viaTarget = sshTarget;
      }
      target = {
        ...base,
        // Unset: the interpreter of the ssh target it submits through (same machines, usually).
        python: table.python === undefined && viaTarget ? viaTarget.python : base.python,
        kind: 'slurm',
        via: viaTarget,
        partition: reader.string('partition'),
        sbatchArgs: reader.strings('sbatch_args'),
        pollMs: reader.int('poll_ms', 100, 60000) ?? 1000,
        workdir: reader.string('workdir') ?? (viaTarget ? viaTarget.workdir : '.porta/slurm'),
        excludes: reader.strings('excludes'),
      };
    } else {
      throw new TargetError(`${source}: targets.${name}.kind must be "local", "ssh" or "slurm" (got ${JSON.stringify(kind)})`);
    }
    reader.rejectUnknown();
    result.set(name, target);
    return target;
  };
  for (const name of raw.keys()) resolve(name, []);
  return [...raw.keys()].map((name) => result.get(name) as TargetConfig);
}

/**
 * All targets of a workspace: `local`, then porta.toml's [targets.*], then ~/.ssh/config aliases not already defined.
 */
export async function loadTargets(workspaceRoot: string, opts: { sshConfigPath?: string } = {}): Promise<TargetConfig[]> {
  const targets: TargetConfig[] = [LOCAL_TARGET];
  const tomlPath = join(workspaceRoot, 'porta.toml');
  let text: string | undefined;
  try {
    text = await readSmallFile(tomlPath);
  } catch (error) {
    if (error instanceof SmallFileError) throw new TargetError(`${tomlPath}: cannot read (${error.message})`);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    for (const target of parseTargetsToml(text, tomlPath)) {
      if (target.name === 'local' && target.kind === 'local') targets[0] = target;
      else if (target.name === 'local') throw new TargetError(`${tomlPath}: targets.local is reserved for this machine (kind = "local")`);
      else targets.push(target);
    }
  }
  if (targets[0] === LOCAL_TARGET) targets[0] = { ...LOCAL_TARGET, python: await defaultLocalPython() };
  // A priced `[targets.local]` (or any local target) without `python` runs where the built-in one would.
  for (const [index, target] of targets.entries()) {
    if (target.kind === 'local' && target.pythonUnset) targets[index] = { ...target, python: await defaultLocalPython() };
  }
  const sshConfigPath = opts.sshConfigPath ?? process.env.PORTA_SSH_CONFIG ?? join(homedir(), '.ssh', 'config');
  let sshText: string | undefined;
  try {
    sshText = await readSmallFile(sshConfigPath);
  } catch {
    sshText = undefined;
  }
  if (sshText !== undefined) {
    const known = new Set(targets.map((t) => t.name));
    for (const alias of parseSshConfigHosts(sshText)) {
      if (known.has(alias) || !NAME.test(alias)) continue;
      known.add(alias);
      targets.push({
        name: alias, kind: 'ssh', host: alias, python: 'python3', env: {}, source: sshConfigPath, hostKeyPolicy: 'yes',
        sshConfig: opts.sshConfigPath ?? process.env.PORTA_SSH_CONFIG, sshOptions: [], connectTimeout: 10, controlPersist: '600',
        workdir: '~/porta-runs', excludes: [],
      });
    }
  }
  return targets;
}

export function findTarget(targets: readonly TargetConfig[], name: string): TargetConfig {
  const found = targets.find((t) => t.name === name);
  if (!found) throw new TargetError(`no target named '${name}' (known: ${targets.map((t) => t.name).join(', ')})`);
  return found;
}

/** One line per target for listings: where it runs. */
export function describeTarget(target: TargetConfig): string {
  switch (target.kind) {
    case 'local': return `this machine (${target.python})`;
    case 'ssh': return `${target.user ? `${target.user}@` : ''}${target.host}${target.port ? `:${target.port}` : ''} (${target.python})`;
    case 'slurm': return `Slurm${target.partition ? ` partition ${target.partition}` : ''}${target.via ? ` via ${target.via.name}` : ' (local commands)'} (${target.python})`;
  }
}

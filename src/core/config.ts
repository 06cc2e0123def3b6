import { parse as parseToml } from 'smol-toml';
import type { Severity } from './model';
import { BACKENDS, isBackend, type Backend } from './targets';
import type { FixTarget } from './fix/types';
import { isKnownRulePattern } from './rules';

/** Analysis settings after defaults are applied. Loading from disk lives in src/workspace/config.ts. */
export interface ResolvedConfig {
  targets: Backend[];
  /** Rule ids or prefixes to report; empty = all. */
  select: string[];
  ignore: string[];
  /** Severity overrides by rule id or prefix. */
  severity: Record<string, Severity>;
  exclude: string[];
  maxFileSize: number;
  fixTarget: FixTarget;
}

export type PortaConfig = Partial<ResolvedConfig>;

export const DEFAULT_CONFIG: ResolvedConfig = {
  targets: [...BACKENDS],
  select: [],
  ignore: [],
  severity: {},
  exclude: [],
  maxFileSize: 2_000_000,
  fixTarget: 'auto',
};

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    detail: string,
  ) {
    super(`${file}: ${key ? `key '${key}': ` : ''}${detail}`);
  }
}

const SEVERITIES = ['error', 'warning', 'info', 'hint'];
const KNOWN_KEYS = ['targets', 'select', 'ignore', 'severity', 'exclude', 'max-file-size', 'fix-target'];

/**
 * Parses porta.toml text, or pyproject.toml text (the [tool.porta] table). Other sections such as [targets.NAME]
 * (run targets) belong to other modules and are ignored here. Throws ConfigError naming the file and key.
 */
export function parseConfig(text: string, file: string): PortaConfig {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(file, '', `invalid TOML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const isPyproject = /(^|[\\/])pyproject\.toml$/.test(file);
  let table: Record<string, unknown> = doc;
  let prefix = '';
  if (isPyproject) {
    const tool = doc.tool as Record<string, unknown> | undefined;
    table = (tool?.porta as Record<string, unknown> | undefined) ?? {};
    prefix = 'tool.porta.';
  } else if (doc.scan !== undefined) {
    // porta.toml: analysis settings live in [scan]; [targets.NAME] etc. belong to the runs module.
    if (typeof doc.scan !== 'object' || doc.scan === null || Array.isArray(doc.scan)) throw new ConfigError(file, 'scan', 'expected a table');
    table = doc.scan as Record<string, unknown>;
    prefix = 'scan.';
  } else {
    table = Object.fromEntries(Object.entries(doc).filter(([key]) => KNOWN_KEYS.includes(key)));
  }
  const strict = prefix !== '';
  const config: PortaConfig = {};
  for (const key of Object.keys(table)) {
    if (strict && !KNOWN_KEYS.includes(key)) throw new ConfigError(file, prefix + key, `unknown key (expected one of ${KNOWN_KEYS.join(', ')})`);
  }
  const value = (key: string) => table[key];
  const where = (key: string) => prefix + key;

  if (value('targets') !== undefined) {
    const raw = value('targets');
    // In porta.toml `[targets.NAME]` tables describe run targets (runs engineer); only an array lists backends.
    if (Array.isArray(raw)) {
      // No backend of interest would make every finding disappear and the scan pass: a mistake, not a choice.
      if (raw.length === 0) throw new ConfigError(file, where('targets'), `is empty (name at least one of ${BACKENDS.join(', ')}, or leave it out for all)`);
      config.targets = raw.map((t, i) => {
        if (typeof t !== 'string' || !isBackend(t)) throw new ConfigError(file, `${where('targets')}[${i}]`, `'${String(t)}' is not a backend (expected one of ${BACKENDS.join(', ')})`);
        return t;
      });
    } else if (strict) throw new ConfigError(file, where('targets'), 'expected an array of backends');
  }
  for (const key of ['select', 'ignore', 'exclude'] as const) {
    const raw = value(key);
    if (raw === undefined) continue;
    if (!Array.isArray(raw) || raw.some((r) => typeof r !== 'string')) throw new ConfigError(file, where(key), 'expected an array of strings');
    // A misspelt rule id selects (or ignores) nothing, silently: rejected here as on the command line.
    if (key !== 'exclude') {
      const unknown = (raw as string[]).findIndex((r) => !isKnownRulePattern(r));
      if (unknown >= 0) throw new ConfigError(file, `${where(key)}[${unknown}]`, `unknown rule or prefix '${(raw as string[])[unknown]}'`);
    }
    config[key] = raw as string[];
  }
  const severity = value('severity');
  if (severity !== undefined) {
    if (typeof severity !== 'object' || severity === null || Array.isArray(severity)) throw new ConfigError(file, where('severity'), 'expected a table of RULE = "error|warning|info|hint"');
    config.severity = {};
    for (const [rule, level] of Object.entries(severity)) {
      if (!isKnownRulePattern(rule)) throw new ConfigError(file, `${where('severity')}.${rule}`, `unknown rule or prefix '${rule}'`);
      if (typeof level !== 'string' || !SEVERITIES.includes(level)) throw new ConfigError(file, `${where('severity')}.${rule}`, `'${String(level)}' is not a severity (expected ${SEVERITIES.join(', ')})`);
      config.severity[rule] = level as Severity;
    }
  }
  const size = value('max-file-size');
  if (size !== undefined) {
    if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) throw new ConfigError(file, where('max-file-size'), 'expected a positive integer (bytes)');
    config.maxFileSize = size;
  }
  const fixTarget = value('fix-target');
  if (fixTarget !== undefined) {
    if (typeof fixTarget !== 'string' || (fixTarget !== 'auto' && !isBackend(fixTarget))) throw new ConfigError(file, where('fix-target'), `expected "auto" or one of ${BACKENDS.join(', ')}`);
    config.fixTarget = fixTarget as FixTarget;
  }
  return config;
}

/** Later layers win (defaults < file < command line). */
export function resolveConfig(...layers: (PortaConfig | undefined)[]): ResolvedConfig {
  const resolved: ResolvedConfig = { ...DEFAULT_CONFIG, severity: {} };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer) as [keyof ResolvedConfig, unknown][]) {
      if (value === undefined) continue;
      if (key === 'severity') resolved.severity = { ...resolved.severity, ...(value as Record<string, Severity>) };
      else (resolved as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return resolved;
}

/** Whether `rule` matches an id or prefix from a select/ignore/severity list ("PT-CUDA" and "PT-CUDA-" match PT-CUDA-002). */
export function ruleMatches(rule: string, pattern: string): boolean {
  if (rule === pattern) return true;
  const prefix = pattern.endsWith('-') ? pattern : pattern + '-';
  return rule.startsWith(prefix);
}

export function isRuleEnabled(rule: string, config: ResolvedConfig): boolean {
  if (config.select.length > 0 && !config.select.some((p) => ruleMatches(rule, p))) return false;
  return !config.ignore.some((p) => ruleMatches(rule, p));
}

export function severityFor(rule: string, fallback: Severity, config: ResolvedConfig): Severity {
  let best: { length: number; severity: Severity } | undefined;
  for (const [pattern, severity] of Object.entries(config.severity)) {
    if (ruleMatches(rule, pattern) && (!best || pattern.length > best.length)) best = { length: pattern.length, severity };
  }
  return best?.severity ?? fallback;
}

import * as path from 'node:path';
import { ConfigError, parseConfig, resolveConfig, type PortaConfig, type ResolvedConfig } from '../core/config';
import { readSmallFile, SmallFileError } from './smallFile';

export interface LoadedConfig {
  config: ResolvedConfig;
  /** The file the settings came from, if any. */
  file?: string;
}

/**
 * Finds the workspace configuration: an explicit file, else porta.toml ([scan] table), else [tool.porta] in
 * pyproject.toml. `overrides` (command-line flags) win over the file. Throws ConfigError naming file and key.
 */
export async function loadConfig(workspaceRoot: string, explicitFile?: string, overrides?: PortaConfig): Promise<LoadedConfig> {
  if (explicitFile) {
    const file = path.resolve(workspaceRoot, explicitFile);
    let text: string;
    try {
      text = await readSmallFile(file);
    } catch (error) {
      throw new ConfigError(explicitFile, '', `cannot read (${error instanceof SmallFileError ? error.message : (error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    return { config: resolveConfig(parseConfig(text, explicitFile), overrides), file: explicitFile };
  }
  for (const name of ['porta.toml', 'pyproject.toml']) {
    const file = path.join(workspaceRoot, name);
    let text: string;
    try {
      text = await readSmallFile(file);
    } catch (error) {
      // A FIFO or device by that name is refused with a clear error rather than read forever.
      if (error instanceof SmallFileError) throw new ConfigError(name, '', `cannot read (${error.message})`);
      // Absent: try the next. Present but unreadable (permissions): ignoring it would scan with the wrong settings.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw new ConfigError(name, '', `cannot read (${code ?? String(error)})`);
    }
    if (name === 'pyproject.toml' && !/^\s*\[tool\.porta[\].]/m.test(text)) continue;
    const shown = path.relative(workspaceRoot, file) || file;
    return { config: resolveConfig(parseConfig(text, shown), overrides), file: shown };
  }
  return { config: resolveConfig(overrides) };
}

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { readSmallFile } from '../workspace/smallFile';

interface Scope {
  /** Workspace-relative folder of the .gitignore, '' for the root, with a trailing '/' otherwise. */
  base: string;
  rules: Ignore;
}

/** Folders never synced: version control, Porta's own state, caches. */
const ALWAYS = new Set(['.git', '.porta', '__pycache__', '.hg', '.svn']);

/**
 * Anchored rsync excludes (`/path`, `/dir/`) for everything the workspace's .gitignore files ignore, with git's
 * semantics (nested files, negation) computed by the `ignore` package instead of rsync's approximate dir-merge.
 * Ignored folders are not descended into, so a big ignored node_modules or data folder costs one entry.
 */
export async function gitignoreExcludes(root: string, extra: readonly string[] = []): Promise<string[]> {
  const excludes: string[] = [];
  const rootScope: Scope = { base: '', rules: ignore().add([...extra]) };
  const walk = async (rel: string, scopes: Scope[]): Promise<void> => {
    const dir = join(root, rel);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    let active = scopes;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      // Capped: a .gitignore of gigabytes ignores nothing rather than filling memory.
      const text = await readSmallFile(join(dir, '.gitignore')).catch(() => '');
      active = [...scopes, { base: rel, rules: ignore().add(text) }];
    }
    for (const entry of entries) {
      const path = `${rel}${entry.name}`;
      const isDir = entry.isDirectory();
      if (ALWAYS.has(entry.name) && isDir) {
        excludes.push(`/${path}/`);
        continue;
      }
      let ignored = false;
      for (const scope of active) {
        const local = path.slice(scope.base.length) + (isDir ? '/' : '');
        const result = scope.rules.test(local);
        if (result.ignored) ignored = true;
        else if (result.unignored) ignored = false;
      }
      if (ignored) excludes.push(`/${path}${isDir ? '/' : ''}`);
      else if (isDir) await walk(`${path}/`, active);
    }
  };
  await walk('', [rootScope]);
  return excludes;
}

/** rsync treats `*`, `?`, `[` and `\` in patterns as wildcards: escape them so each exclude matches one literal path. */
export function rsyncLiteral(pattern: string): string {
  return pattern.replace(/[*?[\\]/g, (c) => `\\${c}`);
}

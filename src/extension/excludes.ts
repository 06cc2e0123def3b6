import * as vscode from 'vscode';
import ignore, { type Ignore } from 'ignore';

const cache = new Map<string, Ignore>();

/** Whether a file matches porta.exclude (gitignore syntax, relative to its workspace folder). */
export function isExcluded(uri: vscode.Uri, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return false;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return false;
  const relative = vscode.workspace.asRelativePath(uri, false);
  if (!relative || relative.startsWith('..')) return false;
  const key = patterns.join('\n');
  let matcher = cache.get(key);
  if (!matcher) {
    matcher = ignore().add([...patterns]);
    cache.clear();
    cache.set(key, matcher);
  }
  return matcher.ignores(relative);
}
